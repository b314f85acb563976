//! Command-line definitions (clap). Parsing only: `main.rs` turns these into
//! library calls.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "gleaner",
    version,
    about = "Fetch web articles politely and write clean article JSON"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract the article from a saved HTML file (no network) and print its JSON.
    Extract(ExtractArgs),
    /// Fetch URLs and write one article JSON per page.
    Ingest(IngestArgs),
    /// Site profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Serve a snapshot folder over HTTP on loopback.
    Serve(ServeArgs),
    /// Run the offline demo: serve the bundled snapshots and ingest them.
    Demo(DemoArgs),
    /// Score extraction against a benchmark dataset (aeb, naeb or readability layout).
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The HTML file, or `-` for stdin.
    pub file: PathBuf,
    /// The page's URL (resolves links, matches the site profile).
    #[arg(long)]
    pub url: String,
    /// The Content-Type the page was served with (its charset is honoured).
    #[arg(long)]
    pub content_type: Option<String>,
    #[command(flatten)]
    pub profiles: ProfileArgs,
}

#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// Folder of site profiles [default: ./site-profiles when it exists].
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
    /// Use no site profile, only the built-in rules.
    #[arg(long, conflicts_with = "profiles")]
    pub no_profiles: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One pretty JSON file per article under --out.
    Json,
    /// One compact JSON article per line on stdout.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// URLs to fetch; `-` reads URLs from stdin, one per line.
    #[arg(required = true)]
    pub urls: Vec<String>,
    /// Output folder for --format json.
    #[arg(long, default_value = "articles", value_name = "DIR")]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    #[command(flatten)]
    pub profiles: ProfileArgs,
    #[command(flatten)]
    pub fetch: FetchArgs,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Requests in flight at once, across all hosts.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Per-host request rate when the host's profile sets none: N/s, N/m, N/h or N/<k>s.
    #[arg(long, default_value = "1/s")]
    pub rate: String,
    /// Total time allowed per request, in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Time allowed to connect, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub connect_timeout: f64,
    /// Largest body accepted, in bytes (after decompression).
    #[arg(long, default_value_t = 10 * 1024 * 1024, value_name = "BYTES")]
    pub max_body: u64,
    /// Most redirects followed per URL.
    #[arg(long, default_value_t = 10)]
    pub max_redirects: usize,
    /// Send requests for HOST to ADDR over plain HTTP instead (like curl --connect-to),
    /// for mirrors and offline replays. Repeatable.
    #[arg(long, value_name = "HOST=ADDR")]
    pub connect_to: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Validate every profile in a folder; errors name the file, field and value.
    Check {
        /// Profile folder.
        #[arg(default_value = "site-profiles")]
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Snapshot folder (`<site>/<case>.html` with `<case>.toml`).
    pub dir: PathBuf,
    /// Loopback address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Snapshot folder to serve.
    #[arg(long, default_value = "snapshots", value_name = "DIR")]
    pub snapshots: PathBuf,
    /// Site profiles to extract with.
    #[arg(long, default_value = "site-profiles", value_name = "DIR")]
    pub profiles: PathBuf,
    /// Output folder.
    #[arg(long, default_value = "articles", value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Dataset folder; its format is detected from its content.
    #[arg(long, value_name = "DIR")]
    pub dataset: PathBuf,
    /// Also write the predictions as `{id: {articleBody, title, authors, date}}` JSON.
    #[arg(long, value_name = "FILE")]
    pub predictions: Option<PathBuf>,
    /// Extract with these site profiles [default: built-in rules only].
    #[arg(long, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
    /// Evaluate only the first N pages (in id order).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// List the N pages with the lowest body F1.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub show_worst: usize,
    /// Print the numbers as JSON instead of a text report.
    #[arg(long)]
    pub json: bool,
}
