//! The dispatcher: every framed message from the transports goes through admission,
//! parsing and transactions, then to one file per method. It turns a request into a
//! registration or a call; it sits above calls, trunks and the registrar and below
//! nothing but the core that wires them.

pub mod authenticate;
pub mod feature_code;
pub mod inline;
pub mod invite;
pub mod options;
pub mod overload;
pub mod register;
pub mod subscribe;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::sip::core::SipCore;
use crate::sip::endpoint::responder::{Reply, Responder};
use crate::sip::response;
use crate::sip::transaction::key::TxKey;
use crate::sip::transaction::server::{Begin, Kept};
use crate::sip::transport::{Inbound, Proto, Source};
use crate::sip::wire::{self, Message, Method, ParseError};

impl SipCore {
    async fn handle(self: Arc<Self>, bytes: Vec<u8>, source: Source, received: Instant) {
        let datagram = source.proto == Proto::Udp;
        let msg = match wire::parse(&bytes, datagram) {
            Ok(m) => m,
            Err(ParseError::Unparseable(why)) => {
                tracing::debug!(source = %source.addr, %why, "dropping unparseable message");
                return;
            }
            Err(ParseError::Reject { status, reason, .. }) if bytes.starts_with(b"ACK ") => {
                // An ACK is never answered (RFC 3261 section 17.2.1): a malformed one is dropped.
                tracing::debug!(source = %source.addr, status, %reason, "dropping malformed ACK");
                return;
            }
            Err(ParseError::Reject { status, reason, headers }) => {
                tracing::debug!(source = %source.addr, status, %reason, "refusing malformed request");
                let tag = crate::sip::endpoint::ids::new_tag();
                if let Some(bytes) = response::build_from_headers(&headers, source, status, &reason, Some(&tag), &[]) {
                    let _ = self.endpoint.transports.send(source, bytes).await;
                }
                return;
            }
        };
        if msg.method().is_some() {
            // Behind a trusted edge, the source named by the edge is what is judged.
            let origin = self.security.origin(&msg, source.addr.ip());
            if origin != source.addr.ip() && !self.security.admit_origin(origin) {
                return;
            }
            if !self.security.screen(&msg, origin) {
                return;
            }
        }
        match msg.method().cloned() {
            None => self.handle_response(msg, source),
            Some(Method::Ack) => {
                if !self.endpoint.transactions.ack(&TxKey::of(&msg)) {
                    self.b2bua.calls.ack(&msg);
                }
            }
            Some(method) => self.handle_request(msg, method, source, received).await,
        }
    }

    /// The whole path of one message as a transport delivers it (admission, parsing,
    /// transactions, dispatch), awaited to the end instead of spawned: the fuzz target's
    /// entry point.
    pub async fn receive(self: Arc<Self>, bytes: Vec<u8>, source: Source) {
        if !self.security.admit(source.addr.ip()) {
            return;
        }
        if bytes.starts_with(b"SIP/") {
            self.response_bytes(&bytes, source);
        } else {
            self.handle(bytes, source, Instant::now()).await;
        }
    }

    fn response_bytes(self: &Arc<Self>, bytes: &[u8], source: Source) {
        let datagram = source.proto == Proto::Udp;
        match wire::parse(bytes, datagram) {
            Ok(msg) if msg.method().is_none() => self.handle_response(msg, source),
            Ok(_) => {}
            Err(e) => tracing::debug!(source = %source.addr, error = %e, "dropping unparseable response"),
        }
    }

    /// Responses go to their client transaction at once, in arrival order (a 180 must not
    /// be overtaken by the 200 behind it); this is cheap enough for the UDP receiver.
    fn handle_response(self: &Arc<Self>, msg: Message, source: Source) {
        let is_invite_2xx = msg.cseq.1 == Method::Invite && msg.status().is_some_and(|c| (200..300).contains(&c));
        if let Err(msg) = self.endpoint.client.dispatch(msg) {
            if is_invite_2xx {
                crate::sip::b2bua::stray_answer(&self.b2bua, &msg, source);
            } else {
                tracing::debug!(source = %source.addr, status = msg.status(), "ignoring unmatched response");
            }
        }
    }

    async fn handle_request(self: Arc<Self>, msg: Message, method: Method, source: Source, received: Instant) {
        let transport = match source.proto {
            Proto::Udp => "udp",
            Proto::Tcp => "tcp",
            Proto::Tls => "tls",
        };
        crate::metrics::metrics().sip_request(method.as_str(), transport);
        let key = TxKey::of(&msg);
        match self.endpoint.transactions.begin(&key) {
            Begin::Retransmission(Some(Kept::Bytes(bytes, dest))) => {
                let _ = self.endpoint.transports.send(dest, bytes).await;
                return;
            }
            Begin::Retransmission(Some(Kept::Rendered { code, to_tag, dest })) => {
                let again = match method {
                    Method::Register => register::render_again(&self, &msg, code),
                    _ => None,
                };
                if let Some(bytes) = again.and_then(|reply| reply.bytes(&msg, source, &to_tag)) {
                    let _ = self.endpoint.transports.send(dest, bytes).await;
                }
                return;
            }
            Begin::Retransmission(None) => return,
            Begin::New => {}
        }
        let msg = Arc::new(msg);
        let responder = Responder::new(self.endpoint.clone(), key, msg.clone(), source);
        if let Some(reply) = self.dispatch(&msg, &method, source, &responder, received.elapsed()).await {
            responder.reply(reply).await;
        }
    }

    /// RFC 3261 section 21.5.4: a new call is refused with 503 and Retry-After, before any
    /// work for it, while Callplane stops (the phone tries again later, or another node),
    /// when the node carries `max_calls` calls already, or when its INVITE waited `waited`
    /// for its handler past the overload limit (`overload.rs`).
    fn refuse_new_call(&self, msg: &Message, source: Source, waited: Duration) -> Option<Reply> {
        if self.b2bua.calls.is_draining() {
            return Some(Reply::new(503, "Service Unavailable (shutting down)").with("Retry-After", "60"));
        }
        if !overload::under_call_limit(self.b2bua.calls.len(), self.settings.max_calls) {
            crate::metrics::metrics().sip_shed();
            tracing::debug!(source = %source.addr, max_calls = self.settings.max_calls, "at the call limit: refusing a new call");
            return Some(Reply::new(503, "Service Unavailable (call limit)").with("Retry-After", overload::CALL_LIMIT_RETRY_AFTER_S.to_string()));
        }
        let limit = Duration::from_millis(u64::from(self.settings.overload_queue_ms));
        // Below the limit every call is taken, so the credentials are only read past it.
        // They count only with a nonce we issued that nothing has used yet: a flood
        // carrying made-up or replayed credentials is shed like any new call.
        let answers_challenge = waited > limit
            && msg
                .header_all("Proxy-Authorization")
                .chain(msg.header_all("Authorization"))
                .filter_map(|v| crate::sip::wire::digest::Credentials::parse(v).ok())
                .any(|c| self.auth.opens_challenge(&c.nonce));
        let stage = if answers_challenge { overload::Stage::Challenged } else { overload::Stage::Fresh };
        match overload::admit(waited, limit, stage, rand::random::<f64>()) {
            overload::Admission::Take => None,
            overload::Admission::Shed { retry_after_s } => {
                crate::metrics::metrics().sip_shed();
                tracing::debug!(source = %source.addr, waited_ms = waited.as_millis(), "overloaded: refusing a new call");
                Some(Reply::new(503, "Service Unavailable (overloaded)").with("Retry-After", retry_after_s.to_string()))
            }
        }
    }

    /// Answers a request now (`Some`) or hands it to a call that answers later (`None`).
    async fn dispatch(self: &Arc<Self>, msg: &Arc<Message>, method: &Method, source: Source, responder: &Responder, waited: Duration) -> Option<Reply> {
        if let Method::Other(_) = method {
            return Some(Reply::new(501, "Not Implemented").with("Allow", crate::sip::consts::ALLOW));
        }
        let max_forwards = msg.header("Max-Forwards").and_then(|v| v.trim().parse::<u8>().ok());
        if max_forwards == Some(0) && !matches!(method, Method::Options | Method::Register) {
            return Some(Reply::new(483, "Too Many Hops"));
        }
        if *method != Method::Cancel {
            let unsupported: Vec<&str> = msg
                .header_all("Require")
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .filter(|t| !t.is_empty() && !crate::sip::consts::SUPPORTED.split(", ").any(|s| s.eq_ignore_ascii_case(t)))
                .collect();
            if !unsupported.is_empty() {
                return Some(Reply::new(420, "Bad Extension").with("Unsupported", unsupported.join(", ")));
            }
        }
        let in_dialog = msg.to.tag().is_some();
        match method {
            Method::Options if !in_dialog => Some(options::handle()),
            Method::Register => Some(register::handle(self, msg, source)),
            Method::Subscribe => subscribe::handle(self, msg, source, responder),
            Method::Invite if !in_dialog => match self.refuse_new_call(msg, source, waited) {
                Some(refused) => Some(refused),
                None => invite::handle(self, msg, source, responder),
            },
            Method::Cancel => {
                let invite = TxKey::cancelled_invite(msg);
                if self.endpoint.transactions.exists(&invite) {
                    self.b2bua.calls.cancel(&invite);
                    Some(Reply::new(200, "OK"))
                } else {
                    Some(Reply::new(481, "Call/Transaction Does Not Exist"))
                }
            }
            Method::Bye | Method::Prack | Method::Update | Method::Info | Method::Invite | Method::Options | Method::Notify | Method::Refer
                if in_dialog =>
            {
                if self.b2bua.calls.deliver(msg.clone(), responder.clone()) {
                    None
                } else {
                    Some(Reply::new(481, "Call/Transaction Does Not Exist"))
                }
            }
            Method::Bye | Method::Prack | Method::Update | Method::Info | Method::Notify => Some(Reply::new(481, "Call/Transaction Does Not Exist")),
            // Transfer is a request within a call (RFC 3515 section 2.4.6 lets a REFER
            // create its own dialog; Callplane does not accept those).
            Method::Refer => Some(Reply::new(403, "Forbidden (REFER is accepted within a call only)")),
            _ => Some(Reply::new(405, "Method Not Allowed").with("Allow", crate::sip::consts::ALLOW)),
        }
    }

}

impl Inbound for SipCore {
    fn on_closed(self: Arc<Self>, source: Source) {
        self.b2bua.calls.connection_closed(source);
    }

    fn admit(&self, ip: std::net::IpAddr) -> bool {
        self.security.admit(ip)
    }

    fn on_message(self: Arc<Self>, bytes: Vec<u8>, source: Source, arrived: Instant) {
        if let Some(tracer) = self.endpoint.transports.tracer.get().filter(|t| t.is_running()) {
            tracer.capture(&bytes, source.addr, self.endpoint.transports.local_for(source.proto, source.addr.ip()), source.proto.is_reliable());
        }
        if bytes.starts_with(b"SIP/") {
            // Responses: parsed and dispatched by the UDP receiver (or a stream reader), keeping their order.
            self.response_bytes(&bytes, source);
            return;
        }
        if inline::in_loop(source.proto, &bytes, arrived.elapsed()) {
            inline::run(self.handle(bytes, source, arrived));
        } else {
            tokio::spawn(self.handle(bytes, source, arrived));
        }
    }
}

