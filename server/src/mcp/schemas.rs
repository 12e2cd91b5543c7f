//! The tools' JSON Schemas, made from the OpenAPI document's own schemas (one source): a
//! request schema becomes a tool's input, a response schema its output, each made
//! self-contained (`$defs` instead of `#/components/schemas/…`).

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

const COMPONENTS: &str = "#/components/schemas/";

/// Every schema the document names: response components and request schemas.
pub fn components() -> Map<String, Value> {
    let doc = crate::api::openapi::document("");
    doc.pointer("/components/schemas").and_then(Value::as_object).cloned().unwrap_or_default()
}

fn refs_in(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix(COMPONENTS)) {
                out.insert(name.to_string());
            }
            map.values().for_each(|v| refs_in(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_in(v, out)),
        _ => {}
    }
}

fn rewrite(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(name) = r.strip_prefix(COMPONENTS)
            {
                *r = format!("#/$defs/{name}");
            }
            map.values_mut().for_each(rewrite);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite),
        _ => {}
    }
}

/// `root` with every schema it refers to (transitively) under `$defs`.
pub fn self_contained(mut root: Value, all: &Map<String, Value>) -> Value {
    let mut wanted = BTreeSet::new();
    refs_in(&root, &mut wanted);
    let mut defs = Map::new();
    while let Some(name) = wanted.pop_first() {
        if defs.contains_key(&name) {
            continue;
        }
        let Some(schema) = all.get(&name) else { continue };
        let mut more = BTreeSet::new();
        refs_in(schema, &mut more);
        wanted.extend(more.into_iter().filter(|n| !defs.contains_key(n)));
        let mut schema = schema.clone();
        rewrite(&mut schema);
        defs.insert(name, schema);
    }
    rewrite(&mut root);
    if !defs.is_empty() {
        root["$defs"] = Value::Object(defs);
    }
    root
}

/// A component by name (an empty object schema when missing).
pub fn named(all: &Map<String, Value>, name: &str) -> Value {
    all.get(name).cloned().unwrap_or_else(|| json!({"type": "object"}))
}

/// `schema` (an object schema) with more properties, some of them required.
pub fn with_properties(mut schema: Value, extra: Value, required: &[&str]) -> Value {
    if let (Some(props), Some(extra)) = (schema.get_mut("properties").and_then(Value::as_object_mut), extra.as_object())
    {
        props.extend(extra.clone());
    }
    if !required.is_empty() {
        let mut list: Vec<Value> = schema["required"].as_array().cloned().unwrap_or_default();
        list.extend(required.iter().map(|r| json!(r)));
        schema["required"] = Value::Array(list);
    }
    schema
}
