// Each test binary uses a different part of this helper.
#![allow(dead_code)]

//! A real server on port 0 over a fresh database, and a client for it.

pub mod documents;
pub mod process;
pub mod receiver;
pub mod smtp;
pub mod stripe;
pub mod turnstile;
pub mod webhooks;

use data::Store;
use data::testkit::TestDb;
use data::webhooks::targets::TargetPolicy;
use reqwest::{Client, Method, Response};
use serde_json::Value;
use server::state::AppState;

pub struct TestApp {
    pub base: String,
    /// The database's URL, to connect again as a restarted server would.
    pub db_url: String,
    pub client: Client,
    pub store: Store,
    /// Every statement the server's store ran (tests count round trips).
    pub statements: data::testkit::Statements,
    _db: Option<TestDb>,
}

impl TestApp {
    pub async fn start(db: TestDb) -> TestApp {
        Self::start_with(db, TargetPolicy::default()).await
    }

    /// A server whose webhook URL policy is `targets` (e.g. loopback allowed).
    pub async fn start_with(db: TestDb, targets: TargetPolicy) -> TestApp {
        Self::start_with_state(db, |state| state.with_webhook_targets(targets)).await
    }

    /// A server whose state `adjust` changes first (a PDF pool, trusted proxies …). Its store
    /// runs on an adjustable clock that tests move forward.
    pub async fn start_with_state(db: TestDb, adjust: impl FnOnce(AppState) -> AppState) -> TestApp {
        Self::start_with_clock(db, data::clock::Clock::adjustable(), adjust).await
    }

    /// A server whose store reads `clock` (a stopped one: windows and schedules at exact times).
    pub async fn start_with_clock(
        db: TestDb,
        clock: data::clock::Clock,
        adjust: impl FnOnce(AppState) -> AppState,
    ) -> TestApp {
        let store = db.store().await.with_clock(clock);
        let url = db.url.clone();
        Self::serve(store, url, Some(db), adjust).await
    }

    /// A second server on the same database (as after a restart or on another instance), its
    /// state changed by `adjust` first.
    pub async fn second(&self, adjust: impl FnOnce(AppState) -> AppState) -> TestApp {
        let store = data::Store::connect(&self.db_url, data::testkit::TEST_PUBLIC_URL, data::testkit::TEST_SECRET)
            .await
            .expect("connect");
        Self::serve(store.with_clock(self.store.clock().clone()), self.db_url.clone(), None, adjust).await
    }

    async fn serve(
        store: Store,
        db_url: String,
        db: Option<TestDb>,
        adjust: impl FnOnce(AppState) -> AppState,
    ) -> TestApp {
        let statements = data::testkit::Statements::default();
        let store = statements.observe(store);
        let cfg = server::config::Config {
            database_url: db_url.clone(),
            site_addr: "127.0.0.1:0".parse().expect("addr"),
            public_url: None,
            secret_key: None,
            smtp_url: None,
            mail_from: "test@x.test".into(),
            mail_retry_base_ms: 10,
            webhook_allow_private_targets: false,
            webhook_retry_base_ms: 1,
            trust_proxy: None,
            client_ipv6_prefix: data::limits::DEFAULT_CLIENT_V6_PREFIX,
            max_connections_per_client: server::connections::DEFAULT_PER_CLIENT,
            turnstile_secret: None,
            turnstile_site_key: None,
            turnstile_verify_url: server::turnstile::CLOUDFLARE_SITEVERIFY.into(),
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: server::stripe::STRIPE_API.into(),
            site_root: "target/site".into(),
            site_pkg_dir: "pkg".into(),
        };
        let state = adjust(AppState::new(store, cfg.leptos_options(), app::server::WebSettings::default()));
        // The server's store: it renders and archives what is sent.
        let store = state.store.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            let app = server::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, app).await.expect("serve");
        });
        let client = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { base, client, store, statements, db_url, _db: db }
    }

    /// A sender (with a company unless `company` is None) and a fresh API key for them.
    pub async fn key(&self, email: &str, company: Option<&str>) -> String {
        self.scoped_key(email, company, domain::KeyScope::Full).await
    }

    /// A key of `scope` for a sender (created when missing).
    pub async fn scoped_key(&self, email: &str, company: Option<&str>, scope: domain::KeyScope) -> String {
        let sender = data::senders::ensure(&self.store.db, self.store.now(), email, company).await.expect("sender");
        data::api_keys::create(&self.store, sender.id, "test", scope).await.expect("key").secret
    }

    /// The token of a fresh sign-in link for `email`, as its mail carries it.
    #[allow(dead_code)]
    pub async fn sign_in_token(&self, email: &str) -> String {
        data::sign_in::request(&self.store, email, None, None).await.expect("sign-in link");
        let jobs = data::jobs::pending(&self.store.db, data::jobs::KIND_MAIL).await.expect("mail jobs");
        let link = match data::mail::of(&self.store, jobs.last().expect("a mail")).expect("mail").mail {
            data::mail::Mail::SignIn { link, .. } => link,
            other => panic!("not a sign-in mail: {other:?}"),
        };
        link.split("token=").nth(1).expect("token").to_string()
    }

    /// A signed-in browser session for a sender: the cookie header value.
    pub async fn session_cookie(&self, email: &str, company: Option<&str>) -> String {
        let sender = data::senders::ensure(&self.store.db, self.store.now(), email, company).await.expect("sender");
        let (secret, _) = data::sessions::start(&self.store.db, self.store.now(), sender.id).await.expect("session");
        format!("ji_session={}", secret.0)
    }

    /// Posts a form to a server function from this site; `accept` says whether the browser's
    /// JavaScript (JSON) or a plain HTML form (text/html: a redirect back) is asking.
    pub async fn post_form(&self, cookie: Option<&str>, name: &str, accept: &str, form: &[(&str, &str)]) -> Response {
        let mut req = self
            .client
            .post(format!("{}/fn/{name}", self.base))
            .header("accept", accept)
            .header("sec-fetch-site", "same-origin")
            .form(form);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        req.send().await.expect("server fn")
    }

    /// Calls a server function as the browser's JavaScript does (form body, JSON back).
    pub async fn server_fn(&self, cookie: Option<&str>, name: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let res = self.post_form(cookie, name, "application/json", form).await;
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn call(&self, method: Method, key: Option<&str>, path: &str, body: Option<Value>) -> Response {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(k) = key {
            req = req.bearer_auth(k);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send().await.expect("request")
    }

    /// Status and JSON body of a call.
    pub async fn json(&self, method: Method, key: Option<&str>, path: &str, body: Option<Value>) -> (u16, Value) {
        let res = self.call(method, key, path, body).await;
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, value)
    }

    pub async fn get(&self, key: &str, path: &str) -> (u16, Value) {
        self.json(Method::GET, Some(key), path, None).await
    }

    pub async fn post(&self, key: &str, path: &str, body: Value) -> (u16, Value) {
        self.json(Method::POST, Some(key), path, Some(body)).await
    }

    pub async fn patch(&self, key: &str, path: &str, body: Value) -> (u16, Value) {
        self.json(Method::PATCH, Some(key), path, Some(body)).await
    }
}

/// The api-guide.txt quick-start payload, verbatim.
pub fn guide_invoice() -> Value {
    serde_json::json!({
        "currency": "USD",
        "due_date": "2026-06-01",
        "recipient": { "company": "Acme Corp", "email": "ap@acme.com" },
        "line_items": [
            { "description": "Brand identity system", "quantity": 1, "unit_price_cents": 250000 }
        ]
    })
}

/// The text of a PDF by `pdftotext -layout` (Debian poppler-utils); None, having said the test
/// is skipped, where it is not installed.
#[allow(dead_code)]
pub fn pdf_text(pdf: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext").args(["-layout", path.to_str()?, "-"]).output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(_) => {
            data::testkit::skip("pdftotext is not installed (Debian poppler-utils)");
            None
        }
    }
}

/// The text of every QR code on the PDF's first page, as a decoder reads it from the page
/// rasterized by pdftoppm (rqrr; None where pdftoppm is missing: skipped).
#[allow(dead_code)]
pub fn pdf_qr_codes(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).ok()?;
    let prefix = dir.path().join("page");
    let ran = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&path)
        .arg(&prefix)
        .status();
    if ran.is_err() {
        data::testkit::skip("pdftoppm is not installed (Debian poppler-utils)");
        return None;
    }
    let page = image::open(dir.path().join("page.png")).ok()?.to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(page);
    Some(prepared.detect_grids().into_iter().filter_map(|g| g.decode().ok().map(|(_, text)| text)).collect())
}

/// The PDF's fonts as pdffonts lists them: (name, embedded); None where pdffonts is missing.
#[allow(dead_code)]
pub fn pdf_fonts(pdf: &[u8]) -> Option<Vec<(String, bool)>> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, pdf).ok()?;
    let Ok(out) = std::process::Command::new("pdffonts").arg(&path).output() else {
        data::testkit::skip("pdffonts is not installed (Debian poppler-utils)");
        return None;
    };
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    // name type encoding emb sub uni object ID: "emb" is the third column from the right
    // but three (the object id is two words).
    let fonts = text
        .lines()
        .skip(2)
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let emb = words.len().checked_sub(5).and_then(|i| words.get(i))?;
            Some((words.first()?.to_string(), *emb == "yes"))
        })
        .collect();
    Some(fonts)
}
