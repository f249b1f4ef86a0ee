//! `/console`: the operator console, a browser app built from `clients/console` (TypeScript
//! on the generated `@callplane/client`) and embedded in the binary, so a plain
//! `callplane serve` serves it. The assets are public (the app itself asks for an API token
//! and keeps it in session storage); every answer carries a Content-Security-Policy that
//! lets the page load only its own script and style and talk only to this server.

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response, Route};
use sha2::{Digest, Sha256};

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// One embedded file and its validator.
struct Asset {
    body: &'static [u8],
    content_type: &'static str,
    etag: String,
}

impl Asset {
    fn new(body: &'static [u8], content_type: &'static str) -> Asset {
        let digest = Sha256::digest(body);
        let etag = format!("\"{}\"", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>());
        Asset { body, content_type, etag }
    }

    fn answer(&self, req: &Request) -> Response {
        let fresh = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == self.etag));
        let builder = Response::builder()
            .header(header::CONTENT_TYPE, self.content_type)
            // Revalidated on every load: an upgraded binary serves its own console at once.
            .header(header::CACHE_CONTROL, "no-cache")
            .header(header::ETAG, self.etag.as_str())
            .header(header::CONTENT_SECURITY_POLICY, CSP)
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .header(header::REFERRER_POLICY, "no-referrer");
        if fresh {
            builder.status(StatusCode::NOT_MODIFIED).finish()
        } else {
            builder.body(self.body)
        }
    }
}

/// Serves one asset to GET and HEAD.
struct Serve(Asset);

impl Endpoint for Serve {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            let mut resp = StatusCode::METHOD_NOT_ALLOWED.into_response();
            resp.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return Ok(resp);
        }
        Ok(self.0.answer(&req))
    }
}

/// The console's routes, to nest at `/console`.
pub fn routes() -> Route {
    let index = || Serve(Asset::new(include_bytes!("../../clients/console/dist/index.html"), "text/html; charset=utf-8"));
    Route::new()
        .at("/", index())
        .at("/console.js", Serve(Asset::new(include_bytes!("../../clients/console/dist/console.js"), "text/javascript; charset=utf-8")))
        .at("/console.css", Serve(Asset::new(include_bytes!("../../clients/console/dist/console.css"), "text/css; charset=utf-8")))
}
