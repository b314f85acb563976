//! The `gleaner` binary: parses arguments, calls the library, maps the outcome
//! to an exit code (0 ok, 2 some URLs or eval pages failed, 1 fatal, 75 another crawl holds the lock).

mod cli;

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use url::Url;

use cli::{
    Cli, Command, CrawlArgs, EvalArgs, FetchArgs, Format, LogFormat, ProfileArgs, ProfileCommand,
    WarcArgs,
};
use gleaner::crawl::{CrawlConfig, CrawlError};
use gleaner::fetch::{FetchConfig, PolitenessConfig, RetryPolicy, decode_html};
use gleaner::ingest::{ArticleSink, IngestConfig, parse_url_line};
use gleaner::profile::{ProfileSet, Rate};
use gleaner::report::{ExitStatus, RunReport};
use gleaner::sink::warc::WarcConfig;
use gleaner::sink::{JsonDir, JsonLines};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors are fatal errors (1), not "some URLs failed" (clap's default 2).
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    match run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            eprintln!("gleaner: error: {e:#}");
            let locked = e
                .downcast_ref::<CrawlError>()
                .is_some_and(CrawlError::is_locked);
            ExitCode::from(if locked {
                ExitStatus::Locked.code()
            } else {
                ExitStatus::Fatal.code()
            })
        }
    }
}

/// Writes a command's output to stdout. A reader that went away (`gleaner eval | head`)
/// is not an error: the output was not wanted any more.
fn emit(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

fn run(cli: Cli) -> Result<ExitStatus> {
    match cli.command {
        Command::Extract(args) => {
            let profiles = load_profiles(&args.profiles)?;
            let url =
                Url::parse(&args.url).with_context(|| format!("invalid --url {:?}", args.url))?;
            let bytes = read_input(&args.file)?;
            let decoded = decode_html(&bytes, args.content_type.as_deref());
            let article = gleaner::extract(
                &decoded.text,
                &url,
                profiles.for_url(&url).map(|p| p.as_ref()),
            );
            emit(&format!("{}\n", serde_json::to_string_pretty(&article)?))?;
            Ok(ExitStatus::Ok)
        }
        Command::Ingest(args) => {
            let profiles = Arc::new(load_profiles(&args.profiles)?);
            let mut config = ingest_config(&args.fetch)?;
            config.warc = warc_config(&args.warc, "ingest", &config.fetch);
            let inputs = read_urls(&args.urls)?;
            let sink = match args.format {
                Format::Json => ArticleSink::Files(Arc::new(JsonDir::open(&args.out)?)),
                Format::Jsonl => ArticleSink::Lines(JsonLines::new(Box::new(std::io::stdout()))),
            };
            let report = runtime()?.block_on(gleaner::ingest::ingest(
                inputs,
                profiles,
                &config,
                sink,
                &progress_bar(),
            ))?;
            finish(&report)
        }
        Command::Crawl(args) => crawl(args),
        Command::Schema => {
            emit(&gleaner::schema::article_schema_json())?;
            Ok(ExitStatus::Ok)
        }
        Command::Replay(args) => {
            let profiles = load_profiles(&args.profiles)?;
            let out = JsonDir::open(&args.out)?;
            let options = gleaner::replay::ReplayOptions {
                all_responses: args.all_responses,
                ..Default::default()
            };
            let report = gleaner::replay::replay(&args.files, &profiles, &out, &options)?;
            finish(&report)
        }
        Command::Profile(ProfileCommand::Check { dir }) => {
            let errors = ProfileSet::check_dir(&dir);
            for e in &errors {
                eprintln!("{e}");
            }
            if errors.is_empty() {
                emit(&format!("{}: all profiles valid\n", dir.display()))?;
                Ok(ExitStatus::Ok)
            } else {
                bail!("{} error(s) in {}", errors.len(), dir.display())
            }
        }
        Command::Serve(args) => runtime()?.block_on(async {
            let server = gleaner::serve::SnapshotServer::bind(&args.dir, args.addr).await?;
            eprintln!(
                "serving {} on http://{}/",
                args.dir.display(),
                server.local_addr()
            );
            server.run().await?;
            Ok(ExitStatus::Ok)
        }),
        Command::Demo(args) => {
            let progress = progress_bar();
            let warc = warc_config(&args.warc, "demo", &FetchConfig::default());
            let report = runtime()?.block_on(gleaner::demo::run(
                &args.snapshots,
                &args.profiles,
                &args.out,
                warc,
                &progress,
            ))?;
            progress.finish_and_clear();
            let listing: String = report
                .written
                .iter()
                .filter_map(|w| Some(format!("{}  {}\n", w.path.as_ref()?.display(), w.url)))
                .collect();
            emit(&listing)?;
            finish(&report)
        }
        Command::Eval(args) => eval(&args),
    }
}

fn crawl(args: CrawlArgs) -> Result<ExitStatus> {
    let profiles = Arc::new(ProfileSet::load_dir(&args.profiles)?);
    let config = crawl_config(&args)?;
    let progress = progress_bar();
    init_logging(args.log_format, &progress);
    let summary_path = config.summary_path();
    let summary = runtime()?.block_on(async {
        gleaner::crawl::crawl(profiles, config, progress.clone(), stop_signal()).await
    })?;
    progress.finish_and_clear();
    eprintln!("gleaner: {}", summary.line());
    eprintln!("gleaner: summary written to {}", summary_path.display());
    Ok(summary.exit_status())
}

fn crawl_config(args: &CrawlArgs) -> Result<CrawlConfig> {
    let ingest = ingest_config(&args.fetch)?;
    let warc = warc_config(&args.warc, "crawl", &ingest.fetch);
    let seconds = |s: f64, flag: &str| {
        if s.is_finite() && s >= 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(anyhow::anyhow!("{flag} must be a number of seconds"))
        }
    };
    Ok(CrawlConfig {
        out: args.out.clone(),
        state: args.state.clone(),
        summary: args.summary.clone(),
        sites: args.sites.clone(),
        fetch: ingest.fetch,
        politeness: PolitenessConfig {
            concurrency: ingest.concurrency,
            default_rate: ingest.default_rate,
            max_crawl_delay: seconds(args.max_crawl_delay, "--max-crawl-delay")?,
            retry: RetryPolicy {
                max_retries: args.retries,
                base_delay: seconds(args.retry_delay, "--retry-delay")?,
                max_delay: seconds(args.max_retry_delay, "--max-retry-delay")?,
                max_retry_after: seconds(args.max_retry_after, "--max-retry-after")?,
                host_failure_limit: args.host_failure_limit.max(1),
            },
        },
        strip_params: args.strip_params.clone(),
        max_runtime: args.max_runtime,
        warc,
        recheck_after: args.recheck_after,
        ..CrawlConfig::default()
    })
}

/// The WARC settings of a run (`None` without `--warc`), with the `warcinfo` fields that describe it.
fn warc_config(args: &WarcArgs, command: &str, fetch: &FetchConfig) -> Option<WarcConfig> {
    let dir = args.warc.as_ref()?;
    let mut config = WarcConfig::new(dir);
    config.max_file_bytes = args.warc_max_size.max(1);
    config.info = WarcConfig::run_info(command, &fetch.user_agent);
    Some(config)
}

/// Completes on SIGINT or SIGTERM (what cron's `timeout` and systemd send): the crawl stops cleanly.
async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Logs go to stderr: on a terminal only warnings, printed around the progress bar; otherwise every
/// URL's outcome, as text or JSON lines. `GLEANER_LOG` (tracing filter syntax) overrides the level.
fn init_logging(format: LogFormat, progress: &ProgressBar) {
    use tracing_subscriber::EnvFilter;
    let terminal = !progress.is_hidden();
    let default = if terminal {
        "gleaner=warn"
    } else {
        "gleaner=info"
    };
    let filter = EnvFilter::try_from_env("GLEANER_LOG").unwrap_or_else(|_| EnvFilter::new(default));
    let writer = BarWriter(progress.clone());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false);
    // A subscriber already installed (never the case in the binary) is not an error worth stopping for.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Writes log lines to stderr without tearing the progress bar.
#[derive(Clone)]
struct BarWriter(ProgressBar);

impl std::io::Write for BarWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut result = Ok(());
        self.0.suspend(|| result = std::io::stderr().write_all(buf));
        result.map(|()| buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for BarWriter {
    type Writer = BarWriter;

    fn make_writer(&'a self) -> BarWriter {
        self.clone()
    }
}

fn eval(args: &EvalArgs) -> Result<ExitStatus> {
    let profiles = args
        .profiles
        .as_deref()
        .map(ProfileSet::load_dir)
        .transpose()?;
    let dataset = gleaner::eval::Dataset::open(&args.dataset)?;
    let options = gleaner::eval::EvalOptions {
        profiles: profiles.as_ref(),
        limit: args.limit,
    };
    let report = gleaner::eval::evaluate(&dataset, &options);
    if let Some(path) = &args.predictions {
        report.write_predictions(path)?;
    }
    let summary = report.summary(args.show_worst);
    if args.json {
        emit(&format!("{}\n", serde_json::to_string_pretty(&summary)?))?;
    } else {
        emit(&summary.to_string())?;
    }
    Ok(report.exit_status())
}

fn finish(report: &RunReport) -> Result<ExitStatus> {
    eprintln!("gleaner: {}", report.summary());
    Ok(report.exit_status())
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar
}

fn load_profiles(args: &ProfileArgs) -> Result<ProfileSet> {
    if args.no_profiles {
        return Ok(ProfileSet::empty());
    }
    let dir = match &args.profiles {
        Some(dir) => dir.clone(),
        None if Path::new("site-profiles").is_dir() => PathBuf::from("site-profiles"),
        None => return Ok(ProfileSet::empty()),
    };
    Ok(ProfileSet::load_dir(&dir)?)
}

fn read_input(file: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    Ok(bytes)
}

fn read_urls(args: &[String]) -> Result<Vec<Result<Url, gleaner::report::Failure>>> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg == "-" {
            for line in std::io::stdin().lock().lines() {
                inputs.extend(parse_url_line(
                    &line.context("cannot read URLs from stdin")?,
                ));
            }
        } else {
            inputs.extend(parse_url_line(arg));
        }
    }
    Ok(inputs)
}

fn ingest_config(args: &FetchArgs) -> Result<IngestConfig> {
    let default_rate = Rate::parse(&args.rate)
        .map_err(|e| anyhow::anyhow!("invalid --rate {:?}: {e}", args.rate))?;
    let seconds = |s: f64, flag: &str| {
        if s.is_finite() && s > 0.0 {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(anyhow::anyhow!(
                "{flag} must be a positive number of seconds"
            ))
        }
    };
    let mut connect_to = Vec::new();
    for entry in &args.connect_to {
        let (host, addr) = entry
            .split_once('=')
            .with_context(|| format!("invalid --connect-to {entry:?}: expected HOST=ADDR"))?;
        let addr = addr.parse().with_context(|| {
            format!("invalid --connect-to {entry:?}: {addr:?} is not an IP:PORT address")
        })?;
        connect_to.push((host.to_ascii_lowercase(), addr));
    }
    Ok(IngestConfig {
        concurrency: args.concurrency.max(1),
        default_rate,
        fetch: FetchConfig {
            timeout: seconds(args.timeout, "--timeout")?,
            connect_timeout: seconds(args.connect_timeout, "--connect-timeout")?,
            max_body_bytes: args.max_body,
            max_redirects: args.max_redirects,
            connect_to,
            ..FetchConfig::default()
        },
        warc: None,
    })
}
