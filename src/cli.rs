//! Command-line definitions (clap). Parsing only: `main.rs` turns these into
//! library calls.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Crawl the sites whose profiles have a [crawl] section; write new and changed articles.
    Crawl(CrawlArgs),
    /// Re-extract articles from WARC files with the current profiles, without fetching.
    Replay(ReplayArgs),
    /// Print the article JSON Schema (draft 2020-12; committed as schema/article.schema.json).
    Schema,
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
    #[command(flatten)]
    pub warc: WarcArgs,
}

#[derive(Debug, Args)]
pub struct WarcArgs {
    /// Archive every HTTP exchange as WARC 1.1 records in .warc.gz files in DIR, with a CDXJ index beside
    /// each file; each article points at its record.
    #[arg(long, value_name = "DIR")]
    pub warc: Option<PathBuf>,
    /// Close a WARC file and start the next once it holds this many bytes.
    #[arg(
        long,
        default_value_t = 1_000_000_000,
        value_name = "BYTES",
        requires = "warc"
    )]
    pub warc_max_size: u64,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// WARC files (.warc.gz or .warc), in capture order (gleaner's file names sort that way).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Output folder.
    #[arg(long, default_value = "articles", value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub profiles: ProfileArgs,
    /// Extract every 2xx HTML response, not only the ones gleaner wrote articles from (for WARC files
    /// written by other tools).
    #[arg(long)]
    pub all_responses: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// Folder of site profiles.
    #[arg(long, default_value = "site-profiles", value_name = "DIR")]
    pub profiles: PathBuf,
    /// Crawl only this profile (repeatable) [default: every profile with a [crawl] section].
    #[arg(long = "site", value_name = "NAME")]
    pub sites: Vec<String>,
    /// Output folder for articles.
    #[arg(long, default_value = "articles", value_name = "DIR")]
    pub out: PathBuf,
    /// Crawl state database [default: <out>/crawl-state.sqlite]; the lock is <state>.lock.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Where to write the JSON run summary [default: <out>/crawl-summary.json].
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
    /// Stop cleanly after this long (`90s`, `30m`, `2h`, or seconds); the next run resumes.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub max_runtime: Option<Duration>,
    /// Log format when stderr is not a terminal (on a terminal a progress bar is shown instead).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// Also remove this query parameter when canonicalizing URLs (repeatable; `prefix*` for a prefix).
    #[arg(long = "strip-param", value_name = "NAME")]
    pub strip_params: Vec<String>,
    /// Honour a robots.txt Crawl-delay up to this many seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub max_crawl_delay: f64,
    /// Retries per URL on timeouts, connection errors, 5xx and 429.
    #[arg(long, default_value_t = 3)]
    pub retries: u32,
    /// First retry backoff in seconds (doubles per consecutive failure of the host, jittered).
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    pub retry_delay: f64,
    /// Largest backoff in seconds.
    #[arg(long, default_value_t = 60.0, value_name = "SECONDS")]
    pub max_retry_delay: f64,
    /// A Retry-After longer than this gives the host up for the run, in seconds.
    #[arg(long, default_value_t = 300.0, value_name = "SECONDS")]
    pub max_retry_after: f64,
    /// Consecutive failed attempts after which a host is given up for the run.
    #[arg(long, default_value_t = 10)]
    pub host_failure_limit: u32,
    /// A listed URL whose sitemap lastmod (or feed `updated`) is not after its last fetch is not
    /// requested, unless that fetch is older than this (`12h`, `7d`, ...; `0` always requests).
    #[arg(long, default_value = "7d", value_name = "DURATION", value_parser = parse_duration_or_zero)]
    pub recheck_after: Duration,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub warc: WarcArgs,
}

/// `90`, `90s`, `1.5m`, `30m`, `2h`, `7d`: a positive duration.
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    read_duration(value, false)
}

/// A duration as [`parse_duration`] reads it, or zero (`0`, `0d`).
pub fn parse_duration_or_zero(value: &str) -> Result<Duration, String> {
    read_duration(value, true)
}

fn read_duration(value: &str, zero_allowed: bool) -> Result<Duration, String> {
    let value = value.trim();
    let (number, unit) = match value.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => value.split_at(at),
        None => (value, "s"),
    };
    let scale = match unit {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86400.0,
        _ => return Err(format!("unknown unit {unit:?}: use s, m, h or d")),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && (n > 0.0 || (zero_allowed && n == 0.0)) => {
            Ok(Duration::from_secs_f64(n * scale))
        }
        _ if zero_allowed => Err(format!("{value:?} is not a duration")),
        _ => Err(format!("{value:?} is not a positive duration")),
    }
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Requests in flight at once, across all hosts.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Per-host request rate when no profile sets one: N/s, N/m, N/h or N/<k>s.
    #[arg(long, default_value = "1/s")]
    pub rate: String,
    /// Total time allowed per request, in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Time allowed to connect, in seconds.
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub connect_timeout: f64,
    /// Largest body accepted, in bytes (as received, and again after decompression).
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
    #[command(flatten)]
    pub warc: WarcArgs,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86400)));
        assert!(parse_duration("0").is_err());
        assert!(parse_duration("5w").is_err());
        assert!(parse_duration("x").is_err());
        assert_eq!(parse_duration_or_zero("0"), Ok(Duration::ZERO));
        assert_eq!(parse_duration_or_zero("0d"), Ok(Duration::ZERO));
        assert_eq!(
            parse_duration_or_zero("12h"),
            Ok(Duration::from_secs(43200))
        );
        assert!(parse_duration_or_zero("-1").is_err());
        assert!(parse_duration_or_zero("0x").is_err());
    }
}
