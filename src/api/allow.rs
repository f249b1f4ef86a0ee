//! `Allow` on every 405 (RFC 9110 section 15.5.6): the methods the document declares for the
//! requested path, learnt once from the OpenAPI document itself.

use std::sync::Arc;

use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

/// Path templates (`/api/v1/extensions/{id}`) and their methods.
pub struct AllowTable {
    routes: Vec<(Vec<String>, String)>,
}

impl AllowTable {
    /// From the OpenAPI document (JSON), plus routes served outside it.
    pub fn from_spec(spec_json: &str, extra: &[(&str, &str)]) -> AllowTable {
        let spec: serde_json::Value = serde_json::from_str(spec_json).unwrap_or_default();
        let mut routes = Vec::new();
        if let Some(paths) = spec["paths"].as_object() {
            for (path, ops) in paths {
                let mut methods: Vec<String> = ops
                    .as_object()
                    .map(|o| o.keys().filter(|m| !m.starts_with("x-") && *m != "parameters").map(|m| m.to_ascii_uppercase()).collect())
                    .unwrap_or_default();
                // Alphabetical, whatever order the document lists them in.
                methods.sort_unstable();
                routes.push((segments(path), methods.join(", ")));
            }
        }
        for (path, methods) in extra {
            routes.push((segments(path), (*methods).to_owned()));
        }
        AllowTable { routes }
    }

    /// The methods for `path`, if a template matches it (literal segments win).
    pub fn allow(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let matches = |tpl: &[String]| {
            tpl.len() == parts.len() && tpl.iter().zip(&parts).all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
        };
        let literal = |tpl: &[String]| tpl.iter().filter(|t| !t.starts_with('{')).count();
        self.routes
            .iter()
            .filter(|(tpl, _)| matches(tpl))
            .max_by_key(|(tpl, _)| literal(tpl))
            .map(|(_, m)| m.as_str())
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/').split('/').map(str::to_owned).collect()
}

/// Adds `Allow` to 405 answers.
pub async fn add_allow<E: Endpoint>(table: Arc<AllowTable>, next: E, req: Request) -> poem::Result<Response> {
    let path = req.uri().path().to_owned();
    let mut resp = match next.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(value) = table.allow(&path).and_then(|m| HeaderValue::from_str(m).ok()) {
            resp.headers_mut().insert(header::ALLOW, value);
        }
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_and_literals_win() {
        let spec = r#"{"paths": {"/api/v1/routes/{id}": {"get": {}, "patch": {}, "delete": {}},
                                 "/api/v1/routes/resolve": {"get": {}}}}"#;
        let t = AllowTable::from_spec(spec, &[("/api/v1/events", "GET")]);
        assert_eq!(t.allow("/api/v1/routes/abc"), Some("DELETE, GET, PATCH"));
        assert_eq!(t.allow("/api/v1/routes/resolve"), Some("GET"));
        assert_eq!(t.allow("/api/v1/events"), Some("GET"));
        assert_eq!(t.allow("/api/v1/nothing/here"), None);
    }
}
