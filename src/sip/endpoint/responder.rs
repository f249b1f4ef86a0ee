//! Answering server transactions: a handler's `Reply`, and the `Responder` that answers
//! one transaction now or later (calls answer long after the request).

use std::sync::Arc;

use super::Endpoint;
use crate::sip::transaction::key::TxKey;
use crate::sip::transaction::server::Keep;
use crate::sip::transport::Source;
use crate::sip::wire::{Message, Method};

/// A handler's answer to a request.
pub struct Reply {
    pub code: u16,
    pub reason: String,
    pub headers: Vec<(&'static str, String)>,
    /// The handler renders this answer again for a retransmitted request, so only its
    /// code and to-tag are kept (`transaction::server::Kept::Rendered`).
    pub rendered_again: bool,
}

impl Reply {
    pub fn new(code: u16, reason: &str) -> Reply {
        Reply { code, reason: reason.to_owned(), headers: vec![], rendered_again: false }
    }

    /// The answer's bytes for `request` as it came from `source`.
    pub fn bytes(&self, request: &Message, source: Source, to_tag: &str) -> Option<Vec<u8>> {
        crate::sip::response::build_with_body(&request.headers, source, self.code, &self.reason, Some(to_tag), &self.headers, None)
    }

    /// See `rendered_again`.
    pub fn rendered_again(mut self) -> Reply {
        self.rendered_again = true;
        self
    }

    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Reply {
        self.headers.push((name, value.into()));
        self
    }
}

/// Answers one server transaction, now or later (calls answer long after the request).
#[derive(Clone)]
pub struct Responder {
    endpoint: Arc<Endpoint>,
    key: TxKey,
    request: Arc<Message>,
    source: Source,
    dest: Source,
    to_tag: String,
    last_final: Arc<std::sync::Mutex<Option<Vec<u8>>>>,
}

impl Responder {
    pub fn new(endpoint: Arc<Endpoint>, key: TxKey, request: Arc<Message>, source: Source) -> Responder {
        let dest = crate::sip::response::destination(&request, source);
        let to_tag = request.to.tag().map(str::to_owned).unwrap_or_else(crate::sip::endpoint::ids::new_tag);
        Responder { endpoint, key, request, source, dest, to_tag, last_final: Arc::default() }
    }

    pub fn to_tag(&self) -> &str {
        &self.to_tag
    }

    fn bytes(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) -> Vec<u8> {
        crate::sip::response::build_with_body(&self.request.headers, self.source, code, reason, Some(&self.to_tag), extra, body)
            .unwrap_or_default()
    }

    /// A 1xx: sent, and resent to retransmissions of the request. Returns the bytes sent.
    pub async fn provisional(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) -> Vec<u8> {
        self.count(code);
        let bytes = self.bytes(code, reason, extra, body);
        self.endpoint.transactions.provisional(&self.key, bytes.clone(), self.dest);
        let _ = self.endpoint.transports.send(self.dest, bytes.clone()).await;
        bytes
    }

    /// Where this transaction's responses go.
    pub fn dest(&self) -> Source {
        self.dest
    }

    /// The final response.
    pub async fn respond(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>) {
        self.respond_keeping(code, reason, extra, body, Keep::Bytes).await;
    }

    async fn respond_keeping(&self, code: u16, reason: &str, extra: &[(&str, String)], body: Option<(&str, &[u8])>, keep: Keep) {
        self.count(code);
        let bytes = self.bytes(code, reason, extra, body);
        let invite = self.request.method() == Some(&Method::Invite);
        // Only an INVITE's answer is retransmitted by its call (a 2xx until the ACK).
        if invite && let Ok(mut last) = self.last_final.lock() {
            *last = Some(bytes.clone());
        }
        self.endpoint.transactions.respond(&self.endpoint.transports, &self.key, bytes, self.dest, invite, code, keep).await;
    }

    pub async fn reply(&self, reply: Reply) {
        let keep = if reply.rendered_again { Keep::Rendered { to_tag: self.to_tag.clone() } } else { Keep::Bytes };
        self.respond_keeping(reply.code, &reply.reason, &reply.headers, None, keep).await;
    }

    fn count(&self, code: u16) {
        let method = self.request.method().map(|m| m.as_str()).unwrap_or_default();
        crate::metrics::metrics().sip_response(method, code);
    }

    /// The last final response to an INVITE and where it went (for 2xx retransmission).
    pub fn last_final(&self) -> Option<(Vec<u8>, Source)> {
        self.last_final.lock().ok().and_then(|l| l.clone()).map(|b| (b, self.dest))
    }
}

