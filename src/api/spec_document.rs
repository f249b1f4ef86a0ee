//! The published OpenAPI document: what poem-openapi emits, with one normalisation that
//! SDK generators need.
//!
//! poem-openapi documents a field that refers to another schema and carries its own
//! description or default as `allOf: [{$ref}, {description|default…}]`. OpenAPI allows it,
//! but generators read a two-member `allOf` as a merge of two object schemas: with an enum
//! or a union on the referenced side, openapi-python-client drops the whole model and every
//! operation that uses it. The annotation-only members are folded into the field itself,
//! leaving `allOf: [{$ref}]` (valid OpenAPI 3.0, where siblings of a bare `$ref` would be
//! ignored), so no description or default is lost.

use serde_json::{Map, Value};

/// Keys that only annotate a schema and never constrain or shape it.
const ANNOTATIONS: &[&str] = &["description", "default", "example", "title", "readOnly", "writeOnly", "deprecated"];

/// The normalised document as JSON.
pub fn normalise(document: &str) -> Result<Value, serde_json::Error> {
    let mut value: Value = serde_json::from_str(document)?;
    fold_annotation_members(&mut value);
    Ok(value)
}

/// Rewrites every `allOf` made of exactly one `$ref` and annotation-only members, anywhere in
/// the document.
fn fold_annotation_members(value: &mut Value) {
    match value {
        Value::Object(map) => {
            fold_one(map);
            map.values_mut().for_each(fold_annotation_members);
        }
        Value::Array(items) => items.iter_mut().for_each(fold_annotation_members),
        _ => {}
    }
}

fn fold_one(schema: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = schema.get("allOf") else { return };
    let (references, others): (Vec<&Value>, Vec<&Value>) =
        members.iter().partition(|m| m.get("$ref").is_some());
    let annotation_only = |m: &&Value| m.as_object().is_some_and(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())));
    if references.len() != 1 || others.is_empty() || !others.iter().all(annotation_only) {
        return;
    }
    let reference = references[0].clone();
    let annotations: Vec<(String, Value)> = others
        .iter()
        .filter_map(|m| m.as_object())
        .flat_map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())))
        .collect();
    for (key, value) in annotations {
        schema.entry(key).or_insert(value);
    }
    schema.insert("allOf".to_owned(), Value::Array(vec![reference]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn folds_a_described_reference() {
        let doc = json!({"properties": {"strategy": {
            "default": "simultaneous",
            "allOf": [{"$ref": "#/components/schemas/RingStrategy"}, {"default": "simultaneous", "description": "How"}]
        }}});
        let out = normalise(&doc.to_string()).expect("json");
        assert_eq!(
            out["properties"]["strategy"],
            json!({"default": "simultaneous", "allOf": [{"$ref": "#/components/schemas/RingStrategy"}], "description": "How"})
        );
    }

    #[test]
    fn leaves_real_compositions_alone() {
        let union_variant = json!({"allOf": [
            {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["call.ended"]}}},
            {"$ref": "#/components/schemas/CallEndedEvent"}
        ]});
        let two_refs = json!({"allOf": [{"$ref": "#/a"}, {"$ref": "#/b"}]});
        for doc in [union_variant, two_refs] {
            assert_eq!(normalise(&doc.to_string()).expect("json"), doc);
        }
    }

    /// `allOf` lists anywhere in `value` that still hold an annotation-only member.
    fn annotation_only_members(value: &Value, path: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                let members = map.get("allOf").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
                if members.iter().any(|m| m.as_object().is_some_and(|o| o.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))) {
                    found.push(path.to_owned());
                }
                map.iter().for_each(|(k, v)| annotation_only_members(v, &format!("{path}/{k}"), found));
            }
            Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| annotation_only_members(v, &format!("{path}/{i}"), found)),
            _ => {}
        }
    }

    #[test]
    fn the_published_document_has_no_annotation_only_members() {
        let mut emitted = Vec::new();
        let as_emitted: Value = serde_json::from_str(&super::super::service().spec()).expect("json");
        annotation_only_members(&as_emitted, "", &mut emitted);
        assert!(!emitted.is_empty(), "poem-openapi emits them (else this step can go)");
        let mut published = Vec::new();
        annotation_only_members(&super::super::spec_json(), "", &mut published);
        assert_eq!(published, Vec::<String>::new());
    }
}
