//! `jupiter --help`: serve (the default), migrate, mint API keys, print the OpenAPI spec, list
//! background jobs.

use crate::config::Config;
use crate::connections::BoundedListener;
use crate::state::AppState;
use crate::workers::{Shutdown, supervise};
use axum::serve::ListenerExt;
use clap::{Parser, Subcommand};
use data::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::task::JoinHandle;

#[derive(Parser, Debug)]
#[command(name = "jupiter", version, about = "JupiterInvoice: invoices your clients can approve and pay")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web app and the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage API keys.
    #[command(subcommand)]
    ApiKey(ApiKeyCommand),
    /// Print the OpenAPI 3.1 document.
    Openapi,
    /// List background jobs (mail, webhook deliveries) still to run, or with --failed those
    /// given up on and why.
    Jobs {
        #[arg(long)]
        failed: bool,
    },
    /// The archive of every document sent: verify its hash chains, or export a period.
    #[command(subcommand)]
    Archive(ArchiveCommand),
}

#[derive(Subcommand, Debug)]
pub enum ArchiveCommand {
    /// Check every sender's chain (or one sender's): each document's bytes against their
    /// SHA-256 and each entry against the one before. Names the first broken entry and exits 1.
    Verify {
        /// Only the chain of the sender with this e-mail.
        #[arg(long)]
        email: Option<String>,
    },
    /// Write every archived document issued in the period (both dates included) to DIR, with
    /// index.csv (one row per document: number, type, date, customer, net and tax per rate,
    /// total, currency, SHA-256) and files.csv (every file and its place in the chain). With
    /// several senders, one folder each (named by e-mail).
    Export {
        #[arg(long)]
        from: chrono::NaiveDate,
        #[arg(long)]
        to: chrono::NaiveDate,
        /// Only the documents of the sender with this e-mail.
        #[arg(long)]
        email: Option<String>,
        dir: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum ApiKeyCommand {
    /// Mint a key for the sender with this e-mail (created when missing); the key is the
    /// last line printed.
    Create {
        #[arg(long)]
        email: String,
        /// Company name for the sender's profile (needed before invoices can be created).
        #[arg(long)]
        company: Option<String>,
        /// A name to recognise the key by.
        #[arg(long, default_value = "Created from the command line")]
        name: String,
        /// What the key may do: full, or read_only (reads only; writes answer 403).
        #[arg(long, default_value = "full", value_parser = parse_scope)]
        scope: domain::KeyScope,
    },
}

pub async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Archive(command) => crate::archive_cli::run(&connect(&cfg).await?, command).await?,
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&crate::api::openapi::document(&cfg.public_url()))?);
        }
        Command::Migrate => {
            connect(&cfg).await?;
            eprintln!("migrations applied");
        }
        Command::ApiKey(ApiKeyCommand::Create { email, company, name, scope }) => {
            let store = connect(&cfg).await?;
            let sender = data::senders::ensure(&store.db, store.now(), &email, company.as_deref()).await?;
            let minted = data::api_keys::create(&store, sender.id, &name, scope).await?;
            if sender.company.is_none() {
                eprintln!("note: {} has no company yet; pass --company to create invoices", email);
            }
            eprintln!("{} API key for {} (shown once; store it now):", scope.label(), email);
            println!("{}", minted.secret);
        }
        Command::Jobs { failed } => {
            let store = connect(&cfg).await?;
            let jobs = match failed {
                true => data::jobs::failed(&store.db, 100).await?,
                false => {
                    let mut all = data::jobs::pending(&store.db, data::jobs::KIND_MAIL).await?;
                    all.extend(data::jobs::pending(&store.db, data::jobs::KIND_WEBHOOK).await?);
                    all
                }
            };
            println!("id\tkind\tattempts\tdue or failed at\tlast error");
            for job in jobs {
                let at = job.failed_at.unwrap_or(job.run_at).format("%Y-%m-%d %H:%M:%S UTC");
                let error = job.last_error.unwrap_or_default().replace(['\n', '\t'], " ");
                println!("{}\t{}\t{}\t{at}\t{error}", job.id, job.kind, job.attempts);
            }
        }
        Command::Serve => serve(cfg).await?,
    }
    Ok(())
}

async fn connect(cfg: &Config) -> Result<Store, Box<dyn std::error::Error>> {
    let secret = cfg.server_secret()?;
    let store = Store::connect(&cfg.database_url, &cfg.public_url(), &secret).await?;
    Ok(store.with_client_v6_prefix(cfg.client_ipv6_prefix))
}

/// How long in-flight requests and workers get to finish once asked to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

async fn serve(cfg: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = connect(&cfg).await?;
    let mut state = AppState::new(store.clone(), cfg.leptos_options(), cfg.web_settings()?)
        .with_trusted_proxies(cfg.trusted_proxies()?);
    state.stripe_webhook_secret = cfg.stripe_webhook_secret.clone().filter(|s| !s.is_empty());
    if cfg.smtp_url.is_none() {
        println!("No SMTP_URL: mail is written to data/mail/ and sign-in links are logged.");
    }
    let stop = Shutdown::new();
    let workers = start_workers(&cfg, &state.store, &state, &stop)?;
    let listener = tokio::net::TcpListener::bind(cfg.site_addr).await?;
    let per_client = cfg.max_connections_per_client;
    let listener = BoundedListener::new(listener, per_client, cfg.trusted_proxies()?).tap_io(|_| {});
    println!("JupiterInvoice is running at {}", cfg.public_url());
    let server = axum::serve(listener, crate::router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown({
            let stop = stop.clone();
            async move {
                stop_requested().await;
                tracing::info!("stopping: no new connections; finishing requests in flight");
                stop.cancel();
            }
        });
    let mut serving = tokio::spawn(async move { server.await });
    tokio::select! {
        ended = &mut serving => {
            // The server stopped by itself (an I/O error): stop the workers too.
            stop.cancel();
            ended??;
            return Ok(());
        }
        _ = stop.cancelled() => {}
    }
    wind_down(serving, workers).await
}

/// The background workers, each supervised (restarted when it crashes) until `stop`.
fn start_workers(
    cfg: &Config,
    store: &Store,
    state: &AppState,
    stop: &Shutdown,
) -> Result<Vec<JoinHandle<()>>, Box<dyn std::error::Error>> {
    let webhooks = Arc::new(cfg.webhook_worker(store.clone())?);
    let mail = Arc::new(cfg.mail_worker(store.clone(), state.pdf.clone())?);
    let (store, stop) = (store.clone(), stop.clone());
    Ok(vec![
        supervise("mail", {
            let (mail, stop) = (mail.clone(), stop.clone());
            move || {
                let (mail, stop) = (mail.clone(), stop.clone());
                async move { mail.run(stop).await }
            }
        }),
        supervise("webhooks", {
            let (webhooks, stop) = (webhooks.clone(), stop.clone());
            move || {
                let (webhooks, stop) = (webhooks.clone(), stop.clone());
                async move { webhooks.run(stop).await }
            }
        }),
        supervise("share views", {
            let (store, stop) = (store.clone(), stop.clone());
            move || crate::views_worker::run(store.clone(), stop.clone())
        }),
        supervise("schedules", {
            let (store, stop) = (store.clone(), stop.clone());
            move || crate::schedules::run(store.clone(), stop.clone())
        }),
        supervise("anonymous expiry", {
            let (store, stop) = (store.clone(), stop.clone());
            move || crate::anonymous::expiry(store.clone(), stop.clone())
        }),
        // Webhook log, finished jobs, rate-limit counters.
        supervise("hourly housekeeping", move || crate::maintenance::hourly(store.clone(), stop.clone())),
    ])
}

/// Requests in flight and the workers get SHUTDOWN_GRACE once the signal came; then the
/// process ends anyway.
async fn wind_down(
    serving: JoinHandle<std::io::Result<()>>,
    workers: Vec<JoinHandle<()>>,
) -> Result<(), Box<dyn std::error::Error>> {
    let finished = tokio::time::timeout(SHUTDOWN_GRACE, async {
        let served = serving.await;
        for worker in workers {
            let _ = worker.await;
        }
        served
    })
    .await;
    match finished {
        Ok(Ok(Ok(()))) => tracing::info!("stopped cleanly"),
        Ok(Ok(Err(e))) => return Err(e.into()),
        Ok(Err(e)) => return Err(e.into()),
        // Unfinished jobs keep their lease and are taken up again after it ends.
        Err(_) => tracing::warn!("stopped before everything finished ({}s grace)", SHUTDOWN_GRACE.as_secs()),
    }
    Ok(())
}

/// SIGTERM (service managers, containers) or Ctrl-C.
async fn stop_requested() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

fn parse_scope(text: &str) -> Result<domain::KeyScope, String> {
    domain::KeyScope::parse(text).ok_or_else(|| format!("unknown scope {text:?}: full or read_only"))
}
