//! `jupiter --help`: serve (the default), migrate, mint API keys, print the OpenAPI spec.

use crate::config::Config;
use crate::state::AppState;
use clap::{Parser, Subcommand};
use data::Store;

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
    },
}

pub async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Openapi => {
            println!("{}", crate::api::openapi::document(&cfg.public_url()).to_pretty_json()?);
        }
        Command::Migrate => {
            connect(&cfg).await?;
            eprintln!("migrations applied");
        }
        Command::ApiKey(ApiKeyCommand::Create { email, company, name }) => {
            let store = connect(&cfg).await?;
            let sender = data::senders::ensure(&store.db, &email, company.as_deref()).await?;
            let minted = data::api_keys::create(&store.db, sender.id, &name).await?;
            if sender.company.is_none() {
                eprintln!("note: {} has no company yet; pass --company to create invoices", sender.email);
            }
            eprintln!("API key for {} (shown once; store it now):", sender.email);
            println!("{}", minted.secret);
        }
        Command::Serve => serve(cfg).await?,
    }
    Ok(())
}

async fn connect(cfg: &Config) -> Result<Store, Box<dyn std::error::Error>> {
    let secret = cfg.server_secret()?;
    Ok(Store::connect(&cfg.database_url, &cfg.public_url(), &secret).await?)
}

async fn serve(cfg: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = connect(&cfg).await?;
    let state = AppState::new(
        store.clone(),
        cfg.leptos_options(),
        app::server::WebSettings { secure_cookies: cfg.secure_cookies(), webhook_targets: cfg.webhook_targets() },
    );
    let webhooks = cfg.webhook_worker(store.clone())?;
    let worker = cfg.mail_worker(store, state.pdf.clone())?;
    if cfg.smtp_url.is_none() {
        println!("No SMTP_URL: mail is written to data/mail/ and sign-in links are logged.");
    }
    tokio::spawn(worker.run());
    tokio::spawn(webhooks.run());
    let listener = tokio::net::TcpListener::bind(cfg.site_addr).await?;
    println!("JupiterInvoice is running at {}", cfg.public_url());
    axum::serve(listener, crate::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}
