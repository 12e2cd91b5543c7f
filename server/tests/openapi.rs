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
    for (path, methods) in [
        ("/invoices/anonymous", vec!["post"]),
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
    assert_eq!(ids.len(), 48, "{ids:?}");
    for id in [
        "createCreditNote",
        "listCreditNotes",
        "getCreditNote",
        "getCreditNotePdf",
        "deleteInvoice",
        "createRecurringInvoice",
        "skipRecurringOccurrence",
        "updateReminderSettings",
        "sendInvoiceReminder",
        "setInvoiceReminders",
        "cancelInvoice",
        "listEvents",
        "updateCustomer",
        "deleteCustomer",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(ours["paths"]["/invoices/{invoice_number}/e-invoice"]["get"].is_object());
    assert!(ours["paths"]["/invoices/{invoice_number}/send"]["post"].is_object());
    for m in ["get", "post"] {
        assert!(ours["paths"]["/invoices/{invoice_number}/payments"][m].is_object(), "{m} payments");
    }
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len(), "operation ids are unique: {ids:?}");
    for schema in ["Invoice", "LineItem", "Customer", "Recipient", "Address", "Error", "Webhook"] {
        let missing: Vec<_> = properties(&contract, schema).difference(&properties(ours, schema)).cloned().collect();
        assert!(missing.is_empty(), "{schema} lacks contract fields {missing:?}");
    }
    for field in [
        "id",
        "share_token",
        "share_url",
        "subtotal_cents",
        "total_cents",
        "amount_paid_cents",
        "balance_due_cents",
        "created_at",
    ] {
        assert_eq!(ours["components"]["schemas"]["Invoice"]["properties"][field]["readOnly"], true, "{field}");
    }

    // Request bodies are their own schemas and require only what the contract requires.
    let schemas = &ours["components"]["schemas"];
    let required = |name: &str| -> BTreeSet<String> {
        schemas[name]["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    for (op, path, method, schema) in [
        ("createInvoice", "/invoices", "post", "InvoiceCreate"),
        ("updateInvoice", "/invoices/{invoice_number}", "patch", "InvoiceUpdate"),
        ("createCustomer", "/customers", "post", "CustomerCreate"),
        ("createWebhook", "/webhooks", "post", "WebhookCreate"),
    ] {
        let body = &ours["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(body, &format!("#/components/schemas/{schema}"), "{op}");
        assert_eq!(schemas[schema]["additionalProperties"], false, "{schema} refuses unknown fields");
    }
    let seed = |name: &str| -> BTreeSet<String> {
        contract["components"]["schemas"][name]["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(required("InvoiceCreate"), seed("Invoice"), "create requires what the seed's Invoice requires");
    assert_eq!(required("LineItemInput"), seed("LineItem"));
    assert!(required("InvoiceUpdate").is_empty());
    // The anonymous create takes the contract's fields: the invoice's, `sender`'s, the honeypot
    // and the Turnstile token; no key.
    let anonymous = &contract["paths"]["/invoices/anonymous"]["post"];
    let extra = &anonymous["requestBody"]["content"]["application/json"]["schema"]["allOf"][1];
    let names =
        |v: &Value| -> BTreeSet<String> { v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default() };
    let ours_anonymous = properties(ours, "AnonymousInvoiceCreate");
    let theirs: BTreeSet<String> =
        names(&extra["properties"]).union(&properties(&contract, "Invoice")).cloned().collect();
    assert!(theirs.is_subset(&ours_anonymous), "{:?}", theirs.difference(&ours_anonymous).collect::<Vec<_>>());
    assert_eq!(names(&extra["properties"]["sender"]["properties"]), properties(ours, "AnonymousSender"));
    assert_eq!(required("AnonymousSender"), BTreeSet::from(["company".to_string()]));
    let op = &ours["paths"]["/invoices/anonymous"]["post"];
    assert_eq!(op["security"], serde_json::json!([{}]), "no key needed");
    for code in ["201", "400", "401", "429"] {
        assert!(op["responses"][code].is_object(), "createAnonymousInvoice documents {code}");
    }
    // Writes document the read-only key's 403; reads and the keyless create do not.
    assert!(ours["paths"]["/invoices"]["post"]["responses"]["403"].is_object());
    assert!(ours["paths"]["/webhooks/{id}"]["delete"]["responses"]["403"].is_object());
    assert!(ours["paths"]["/invoices"]["get"]["responses"]["403"].is_null());
    assert!(op["responses"]["403"].is_null());
    assert_eq!(schemas["InvoiceCreate"]["properties"]["line_items"]["minItems"], 1);
    assert_eq!(schemas["InvoiceCreate"]["properties"]["line_items"]["maxItems"], 50);
    // Every operation says what it answers without a key or with a bad parameter; bodies 413/415.
    for (path, item) in ours["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("operations") {
            for code in ["400", "401"] {
                assert!(op["responses"][code].is_object(), "{method} {path} documents {code}");
            }
            if op.get("requestBody").is_some() {
                for code in ["413", "415"] {
                    assert!(op["responses"][code].is_object(), "{method} {path} documents {code}");
                }
            }
        }
    }
    assert_eq!(
        ours["paths"]["/invoices/{invoice_number}/pdf"]["get"]["responses"]["200"]["content"]["application/pdf"]["schema"]
            ["format"],
        "binary"
    );
}
