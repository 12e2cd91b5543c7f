//! `idempotency_key` on the write tools: the meaning of the API's Idempotency-Key header
//! (`data::idempotency`, the same table, so every instance sees it). The first call with a key
//! runs and its result is kept a day; the same call again gets that result (marked
//! `_meta.idempotent_replayed`) and runs nothing; the key with other arguments is refused.

use super::tools::{Answer, refused, result_of};
use crate::state::AppState;
use data::api_keys::Caller;
use data::idempotency::{self, Begin};
use rmcp::model::{CallToolResult, MetaObject};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

const FIELD: &str = super::catalogue::IDEMPOTENCY_KEY;

/// A tool call's fingerprint: the tool and its arguments (keys in order, so the same call
/// written in another order is the same call).
fn fingerprint(name: &str, args: &Map<String, Value>) -> String {
    let ordered: std::collections::BTreeMap<&String, &Value> = args.iter().collect();
    let mut hash = Sha256::new();
    hash.update(b"mcp tools/call\n");
    hash.update(name.as_bytes());
    hash.update(b"\n");
    hash.update(serde_json::to_vec(&ordered).unwrap_or_default());
    format!("{:x}", hash.finalize())
}

/// What is kept of a result: its status (200, or the refusal's) and its JSON.
fn kept(answer: &Answer) -> idempotency::Answer {
    let (status, body) = match answer {
        Ok(value) => (200, json!({"ok": value})),
        Err(t) => (t.kind.status(), json!({"refused": result_of(Err(t.clone())).structured_content})),
    };
    idempotency::Answer { status, content_type: Some("application/json".into()), body: body.to_string() }
}

fn replayed(answer: idempotency::Answer) -> CallToolResult {
    let body: Value = serde_json::from_str(&answer.body).unwrap_or_default();
    let mut result = match (body.get("ok"), body.get("refused")) {
        (Some(value), _) => CallToolResult::structured(value.clone()),
        (_, Some(refusal)) => CallToolResult::structured_error(refusal.clone()),
        _ => result_of(Err(data::Told::internal("the kept result could not be read"))),
    };
    let meta = json!({"idempotent_replayed": true});
    result.meta = meta.as_object().cloned().map(MetaObject);
    result
}

pub async fn call(
    state: &AppState,
    caller: &Caller,
    name: &str,
    key: Value,
    args: Map<String, Value>,
) -> CallToolResult {
    let Some(key) = key.as_str().map(str::trim).filter(|k| idempotency::is_valid_key(k)) else {
        let why = "idempotency_key is 1 to 255 printable ASCII characters, unique per call (a UUID)";
        return result_of(Err(refused(why, Some(FIELD))));
    };
    // A key that may not write is refused by the tool itself; nothing is kept for it.
    if caller.may_write().is_err() {
        return result_of(super::tools::run(state, caller, name, args).await);
    }
    let print = fingerprint(name, &args);
    let status =
        |code: u16, why: &str| CallToolResult::structured_error(json!({"error": why, "field": FIELD, "status": code}));
    match idempotency::begin(&state.store, caller.sender.id, key, &print).await {
        Ok(Begin::First(id)) => {
            let answer = super::tools::run(state, caller, name, args).await;
            let outcome = match answer.as_ref().err().map(|t| t.kind.status()) {
                Some(code) if code >= 500 => idempotency::release(&state.store, id).await,
                _ => idempotency::complete(&state.store, id, &kept(&answer)).await,
            };
            if let Err(e) = outcome {
                tracing::error!(error = %e, "the result of an idempotent tool call was not kept");
            }
            result_of(answer)
        }
        Ok(Begin::Replay(answer)) => replayed(answer),
        Ok(Begin::Mismatch) => {
            status(422, "this idempotency_key was used with another call: use a new key for a new call")
        }
        Ok(Begin::InFlight) => {
            status(409, "the first call with this idempotency_key is still running: retry in a moment")
        }
        Err(e) => result_of(Err(e.told())),
    }
}
