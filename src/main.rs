//! The `gleaner` binary: parses arguments, calls the library, maps the outcome
//! to an exit code (0 ok, 2 some URLs or eval pages failed, 1 fatal).

mod cli;

use std::io::{BufRead, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use url::Url;

use cli::{Cli, Command, EvalArgs, FetchArgs, Format, ProfileArgs, ProfileCommand};
use gleaner::fetch::{FetchConfig, decode_html};
use gleaner::ingest::{ArticleSink, IngestConfig, parse_url_line};
use gleaner::profile::{ProfileSet, Rate};
use gleaner::report::{ExitStatus, RunReport};
use gleaner::sink::{JsonDir, JsonLines};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) => {
            eprintln!("gleaner: error: {e:#}");
            ExitCode::from(ExitStatus::Fatal.code())
        }
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
            println!("{}", serde_json::to_string_pretty(&article)?);
            Ok(ExitStatus::Ok)
        }
        Command::Ingest(args) => {
            let profiles = Arc::new(load_profiles(&args.profiles)?);
            let config = ingest_config(&args.fetch)?;
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
        Command::Profile(ProfileCommand::Check { dir }) => {
            let errors = ProfileSet::check_dir(&dir);
            for e in &errors {
                eprintln!("{e}");
            }
            if errors.is_empty() {
                println!("{}: all profiles valid", dir.display());
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
            let report = runtime()?.block_on(gleaner::demo::run(
                &args.snapshots,
                &args.profiles,
                &args.out,
                &progress,
            ))?;
            progress.finish_and_clear();
            for w in &report.written {
                if let Some(path) = &w.path {
                    println!("{}  {}", path.display(), w.url);
                }
            }
            finish(&report)
        }
        Command::Eval(args) => eval(&args),
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
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print!("{summary}");
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
    })
}
