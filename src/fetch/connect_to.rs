//! `connect_to` mapping, like `curl --connect-to`: requests for a listed host go over plain HTTP to a fixed
//! socket address while keeping the original `Host` header; URLs reported back are mapped to the scheme and
//! port the caller asked for. Used for offline demos and mirrors.
//!
//! The socket address is installed as a DNS override on the client, so a mapped request is simply the original
//! URL with scheme `http` and no explicit port. Redirects that stay on the mapped host (relative, or absolute
//! `http://host/…`) therefore stay on the mapped address too. An absolute `https://host/…` redirect would need
//! TLS on the mapped address and fails to connect.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;

use url::Url;

/// The set of mapped hosts (lower-cased); cheap to clone into the redirect policy.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnectTo {
    hosts: Arc<HashSet<String>>,
}

impl ConnectTo {
    pub(crate) fn new(entries: &[(String, SocketAddr)]) -> ConnectTo {
        let hosts = entries
            .iter()
            .map(|(host, _)| host.to_ascii_lowercase())
            .collect();
        ConnectTo {
            hosts: Arc::new(hosts),
        }
    }

    fn is_mapped(&self, url: &Url) -> bool {
        url.host_str()
            .is_some_and(|host| self.hosts.contains(&host.to_ascii_lowercase()))
    }

    /// The URL to hand to the client: unchanged, or plain `http` without a port for a mapped host.
    pub(crate) fn outbound(&self, url: &Url) -> Url {
        let mut outbound = url.clone();
        if self.is_mapped(url) {
            // Both only fail for non-special or host-less URLs, which `is_mapped` and the caller rule out.
            let _ = outbound.set_scheme("http");
            let _ = outbound.set_port(None);
        }
        outbound
    }

    /// Maps a URL the client reports (final URL, redirect target) back to the caller's view of `requested`.
    pub(crate) fn inbound(&self, reported: &Url, requested: &Url) -> Url {
        let mut inbound = reported.clone();
        let on_mapped_connection = reported.scheme() == "http" && reported.port().is_none();
        if on_mapped_connection && self.is_mapped(reported) && self.is_mapped(requested) {
            let _ = inbound.set_scheme(requested.scheme());
            let _ = inbound.set_port(requested.port());
        }
        inbound
    }

    /// A form of `url` under which two URLs reaching the same resource compare equal (for loop detection).
    pub(crate) fn comparable(&self, url: &Url) -> Url {
        let mut comparable = self.outbound(url);
        comparable.set_fragment(None);
        comparable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn maps_only_listed_hosts_and_back() {
        let addr: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
        let map = ConnectTo::new(&[("News.Example".to_string(), addr)]);
        let requested = url("https://news.example/a?x=1");
        assert_eq!(
            map.outbound(&requested).as_str(),
            "http://news.example/a?x=1"
        );
        assert_eq!(
            map.outbound(&url("https://other.example/")).as_str(),
            "https://other.example/"
        );
        let final_url = url("http://news.example/b");
        assert_eq!(
            map.inbound(&final_url, &requested).as_str(),
            "https://news.example/b"
        );
        let elsewhere = url("http://other.example/b");
        assert_eq!(map.inbound(&elsewhere, &requested), elsewhere);
    }
}
