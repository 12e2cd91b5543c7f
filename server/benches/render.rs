//! `cargo bench -p server --bench render`: warm PDF render time for invoices of 1, 10 and 50
//! lines, and the share page's server-side render over HTTP. Prints a table to compare
//! against later; it asserts nothing about speed.

use data::events::Actor;
use data::testkit::{Backend, TestDb};
use server::pdf::PdfRenderer;
use server::state::AppState;
use std::time::{Duration, Instant};

const RUNS: usize = 20;

fn stats(mut samples: Vec<Duration>) -> (f64, f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    (ms(samples[0]), ms(samples[samples.len() / 2]), ms(samples[samples.len() - 1]))
}

fn row(what: &str, samples: Vec<Duration>) {
    let (min, median, max) = stats(samples);
    println!("| {what:<28} | {median:>10.2} | {min:>10.2} | {max:>10.2} |");
}

#[tokio::main]
async fn main() {
    let db = TestDb::new(Backend::Sqlite).await.expect("sqlite");
    let store = db.store().await;
    let sender =
        data::senders::ensure(&store.db, store.now(), "bench@x.test", Some("Bench Studio")).await.expect("sender");
    let mut invoices = Vec::new();
    for lines in [1usize, 10, 50] {
        let items: Vec<serde_json::Value> = (0..lines)
            .map(|i| serde_json::json!({"description": format!("Work item {i}"), "quantity": 1.5, "unit_price_cents": 12_345}))
            .collect();
        let input = serde_json::from_value(serde_json::json!({
            "due_date": "2026-12-31", "recipient": {"company": format!("Client {lines}"), "email": "ap@client.test"},
            "line_items": items, "tax": {"rate": 20}
        }))
        .expect("input");
        invoices.push((lines, data::invoices::create(&store, &sender, input, Actor::Api).await.expect("invoice")));
    }
    let card = data::senders::card(&sender);

    println!("| {:<28} | {:>10} | {:>10} | {:>10} |", format!("ms over {RUNS} warm runs"), "median", "min", "max");
    println!("|{:-<30}|{:-<12}|{:-<12}|{:-<12}|", "", "", "", "");
    let renderer = PdfRenderer::default();
    for (lines, invoice) in &invoices {
        renderer.render(invoice, &card).expect("warm-up");
        let samples = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                renderer.render(invoice, &card).expect("render");
                start.elapsed()
            })
            .collect();
        row(&format!("PDF, {lines} lines"), samples);
    }

    let site = tempfile::tempdir().expect("site dir");
    let options = leptos::config::LeptosOptions::builder()
        .output_name("jupiter")
        .site_root(site.path().to_string_lossy().to_string())
        .build();
    let state = AppState::new(store.clone(), options, app::server::WebSettings::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, server::router(state)).await.expect("serve") });
    let client = reqwest::Client::new();
    for (lines, invoice) in &invoices {
        let url = format!("{base}/i/{}", invoice.share_token);
        client.get(&url).send().await.expect("warm-up");
        let mut samples = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let page = client.get(&url).send().await.expect("page").text().await.expect("body");
            samples.push(start.elapsed());
            assert!(page.contains(&invoice.id));
        }
        row(&format!("share page SSR, {lines} lines"), samples);
    }
}
