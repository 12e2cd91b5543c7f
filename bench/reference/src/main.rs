//! `bench-reference serve ADDR DATABASE_URL` answers the reference requests of
//! scripts/bench.sh; `bench-reference seed DATABASE_URL SENDER_ID INVOICES CUSTOMERS` adds a
//! sender's invoices by SQL, copies of one of theirs (the list benchmarks' 1k and 1M);
//! `bench-reference einvoice OUT N` times our e-invoice check + XML per invoice.

mod db;
mod einvoice_bench;
mod seed;
mod serve;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["serve", addr, url] => serve::run(addr, url).await,
        ["einvoice", out, runs] => einvoice_bench::run(out, runs.parse()?),
        ["seed", url, sender, invoices, customers] => {
            seed::run(url, sender.parse()?, invoices.parse()?, customers.parse()?).await
        }
        _ => {
            Err("usage: bench-reference serve ADDR DATABASE_URL | seed DATABASE_URL SENDER_ID INVOICES CUSTOMERS | einvoice OUT RUNS"
                .into())
        }
    }
}
