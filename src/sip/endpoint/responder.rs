//! Answering server transactions: a handler's `Reply`, and the `Responder` that answers
//! one transaction now or later (calls answer long after the request).

use std::sync::Arc;

use super::Endpoint;
use crate::sip::transaction::key::TxKey;
use crate::sip::transport::Source;
use crate::sip::wire::{Message, Method};

/// A handler's answer to a request.
pub struct Reply {
    pub code: u16,
    pub reason: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn new(code: u16, reason: &str) -> Reply {
        Reply { code, reason: reason.to_owned(), headers: vec![] }
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
        self.count(code);
        let bytes = self.bytes(code, reason, extra, body);
        if let Ok(mut last) = self.last_final.lock() {
            *last = Some(bytes.clone());
        }
        let invite = self.request.method() == Some(&Method::Invite);
        self.endpoint.transactions.respond(&self.endpoint.transports, &self.key, bytes, self.dest, invite, code).await;
    }

    pub async fn reply(&self, reply: Reply) {
        let extra: Vec<(&str, String)> = reply.headers.iter().map(|(n, v)| (*n, v.clone())).collect();
        self.respond(reply.code, &reply.reason, &extra, None).await;
    }

    fn count(&self, code: u16) {
        let method = self.request.method().map(|m| m.as_str()).unwrap_or_default();
        crate::metrics::metrics().sip_response(method, code);
    }

    /// The last final response sent and where it went (for 2xx retransmission).
    pub fn last_final(&self) -> Option<(Vec<u8>, Source)> {
        self.last_final.lock().ok().and_then(|l| l.clone()).map(|b| (b, self.dest))
    }
}

