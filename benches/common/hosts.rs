//! The benches' local site: one listener per host on 127.0.0.2, 127.0.0.3, …, all serving one app,
//! on a runtime of the machine's two cores.

use std::net::SocketAddr;

use axum::Router;

/// Serves `app` on `hosts` loopback addresses (a free port each); returns their addresses.
pub async fn serve_hosts(app: Router, hosts: usize) -> Vec<SocketAddr> {
    let mut addrs = Vec::new();
    for i in 0..hosts {
        let ip = format!("127.0.0.{}", i + 2);
        let listener = tokio::net::TcpListener::bind((ip.as_str(), 0))
            .await
            .expect("bind a loopback address");
        addrs.push(listener.local_addr().expect("addr"));
        let app = app.clone();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
    }
    addrs
}

/// The runtime the site runs on: two worker threads, as the machines have two cores.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}
