//! A sender's webhook subscriptions are capped at 20, also when many are created at once —
//! on SQLite and PostgreSQL.

use data::testkit::TestDb;
use data::webhooks::subscriptions;
use data::webhooks::targets::{TargetPolicy, Targets};
use data::{Error, on_both_databases, senders};

async fn the_cap_holds_under_concurrent_creates(db: TestDb) {
    let store = db.store().await;
    let sender = senders::ensure(&store.db, store.now(), "me@studio.test", Some("Studio Nova")).await.unwrap();
    let targets = Targets::without_dns(TargetPolicy { allow_private: true });
    let creates = (0..30).map(|n| {
        let (store, targets) = (store.clone(), targets.clone());
        tokio::spawn(async move {
            let hook =
                serde_json::from_value(serde_json::json!({"url": format!("http://127.0.0.1:9/hook/{n}")})).unwrap();
            subscriptions::create(&store, sender.id, hook, &targets).await
        })
    });
    let results: Vec<_> = futures_join(creates).await;
    let made = results.iter().filter(|r| r.is_ok()).count();
    let capped = results.iter().filter(|r| matches!(r, Err(Error::Conflict { .. }))).count();
    assert_eq!((made, capped), (20, 10), "{results:?}");
    assert_eq!(subscriptions::list(&store, sender.id).await.unwrap().len(), 20);
}
on_both_databases!(the_cap_holds_under_concurrent_creates);

async fn futures_join<T: Send + 'static>(tasks: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for task in tasks.collect::<Vec<_>>() {
        results.push(task.await.expect("task"));
    }
    results
}
