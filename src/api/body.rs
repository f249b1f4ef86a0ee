//! `JsonBody<T>`: a JSON request body parsed with serde so errors name the field
//! (`ip_auth[2]: invalid type...`), read with a size limit (413), and documented in the
//! OpenAPI document exactly like poem-openapi's own `Json<T>`.
//!
//! The body is read when the request arrives but parsed only when the operation asks
//! (`JsonBody::parse`), after the token's scope was checked: an unauthorised caller
//! learns nothing from validation messages.

use poem::http::StatusCode;
use poem::{FromRequest, Request, RequestBody};
use poem_openapi::impl_apirequest_for_payload;
use poem_openapi::payload::{ParsePayload, Payload};
use poem_openapi::registry::{MetaSchemaRef, Registry};
use poem_openapi::types::Type;
use serde::de::DeserializeOwned;

use super::error::Problem;

pub struct JsonBody<T> {
    bytes: Vec<u8>,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// Parses the body; a 400 problem names the offending field.
    pub fn parse(&self) -> Result<T, super::error::ApiError> {
        parse(&self.bytes).map_err(super::error::ApiError::from_problem)
    }
}

/// The configured body limit, put into request data by the app.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

impl<T: Type> Payload for JsonBody<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        content_type
            .split(';')
            .next()
            .map(str::trim)
            .is_some_and(|m| m.eq_ignore_ascii_case("application/json") || m.ends_with("+json"))
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: Type + DeserializeOwned + Send> ParsePayload for JsonBody<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let limit = request.data::<BodyLimit>().map_or(crate::config::DEFAULT_MAX_BODY_BYTES, |l| l.0);
        let body = poem::Body::from_request(request, body).await?;
        let bytes = body.into_bytes_limit(limit).await.map_err(|e| {
            let problem = match e {
                poem::error::ReadBodyError::PayloadTooLarge => {
                    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, format!("the body exceeds {limit} bytes"))
                }
                other => Problem::new(StatusCode::BAD_REQUEST, format!("cannot read the body: {other}")),
            };
            poem::Error::from_response(problem.into_response())
        })?;
        Ok(JsonBody { bytes: bytes.to_vec(), _type: std::marker::PhantomData })
    }
}

impl_apirequest_for_payload!(JsonBody<T>, T: Type + DeserializeOwned + Send);

/// Parses JSON into `T`, naming the path of the first offending field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Problem> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Problem::new(StatusCode::BAD_REQUEST, "the request needs a JSON body"));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = inner.to_string();
        let problem = if inner.is_syntax() || inner.is_eof() {
            Problem::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {message}"))
        } else if let Some(reason) = message.strip_prefix(crate::model::values::INVALID_VALUE) {
            // Well-formed JSON of the right type whose value does not parse (a number with
            // a letter, a CIDR with /33): unprocessable, like every other invalid value.
            let reason = reason.split(" at line ").next().unwrap_or(reason).to_owned();
            let field = path.clone();
            return Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("{path}: {reason}")).with_field(field, reason);
        } else {
            Problem::new(StatusCode::BAD_REQUEST, format!("{path}: {message}"))
        };
        let field = if path == "." { unknown_field(&message).unwrap_or(path) } else { path };
        problem.with_field(field, message)
    })?;
    de.end().map_err(|e| Problem::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// serde reports an unknown or missing top-level field with the path `.`; pull its name out.
fn unknown_field(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        number: String,
        #[serde(default)]
        ip_auth: Vec<String>,
    }

    #[test]
    fn names_the_field() {
        let p = parse::<Sample>(br#"{"number":"1","ip_auth":["a",5]}"#).expect_err("bad type");
        assert_eq!(p.errors[0].field, "ip_auth[1]");
        let p = parse::<Sample>(br#"{"number":1001}"#).expect_err("bad type");
        assert_eq!(p.errors[0].field, "number");
        let p = parse::<Sample>(br#"{"numbr":"1"}"#).expect_err("unknown");
        assert_eq!(p.errors[0].field, "numbr");
        let p = parse::<Sample>(br#"{}"#).expect_err("missing");
        assert_eq!(p.errors[0].field, "number");
        let p = parse::<Sample>(br#"{"number":"1""#).expect_err("truncated");
        assert!(p.detail.starts_with("malformed JSON"));
        assert!(parse::<Sample>(br#"{"number":"1"} x"#).is_err());
    }
}
