//! The served OpenAPI 3.1 document carries the contract's paths and field names.

mod support;

use data::testkit::{Backend, TestDb};
use serde_json::Value;
use std::collections::BTreeSet;
use support::TestApp;

fn contract() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/contract-openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("contract copy")).expect("contract JSON")
}

fn properties(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_spec_is_served_and_matches_the_contract() {
    let app = TestApp::start(TestDb::new(Backend::Sqlite).await.expect("sqlite")).await;
    let mut served = Vec::new();
    for path in ["/api/openapi.json", "/.well-known/openapi.json"] {
        let res = app.client.get(format!("{}{path}", app.base)).send().await.expect("get");
        assert_eq!(res.status(), 200, "{path}");
        served.push(res.json::<Value>().await.expect("json"));
    }
    assert_eq!(served[0], served[1]);
    let ours = &served[0];
    assert_eq!(ours["openapi"], "3.1.0");
    assert_eq!(ours["components"]["securitySchemes"]["BearerAuth"]["scheme"], "bearer");

    let contract = contract();
    // Implemented so far: invoices and customers (webhooks and the anonymous flow come later).
    for (path, methods) in [
        ("/invoices", vec!["get", "post"]),
        ("/invoices/{invoice_number}", vec!["get", "patch"]),
        ("/customers", vec!["get", "post"]),
        ("/customers/{customer_id}", vec!["get"]),
        ("/webhooks", vec!["get", "post"]),
        ("/webhooks/{id}", vec!["get", "delete"]),
    ] {
        for m in methods {
            assert!(contract["paths"][path][m].is_object(), "contract has {m} {path}");
            assert!(ours["paths"][path][m].is_object(), "we serve {m} {path}");
        }
    }
    let ids: Vec<&str> = ours["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|ops| ops.values()))
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    assert_eq!(ids.len(), 19, "{ids:?}");
    assert!(ours["paths"]["/invoices/{invoice_number}/send"]["post"].is_object());
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "operation ids are unique: {ids:?}");
    for schema in ["Invoice", "LineItem", "Customer", "Recipient", "Address", "Error", "Webhook"] {
        let missing: Vec<_> = properties(&contract, schema).difference(&properties(ours, schema)).cloned().collect();
        assert!(missing.is_empty(), "{schema} lacks contract fields {missing:?}");
    }
    for field in ["id", "share_token", "share_url", "subtotal_cents", "total_cents", "created_at"] {
        assert_eq!(ours["components"]["schemas"]["Invoice"]["properties"][field]["readOnly"], true, "{field}");
    }
}
