//! Matching requests to server transactions (RFC 3261 section 17.2.3).

use crate::sip::consts::BRANCH_MAGIC;
use crate::sip::wire::{Message, Method};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TxKey {
    /// RFC 3261 branch: branch, sent-by and method (ACK matches its INVITE).
    Rfc3261 { branch: String, sent_by: String, method: Method },
    /// RFC 2543 peers without the magic cookie: the request's identifying headers.
    Rfc2543 { call_id: String, cseq: u32, from_tag: String, via: String, method: Method },
}

impl TxKey {
    pub fn of(msg: &Message) -> TxKey {
        let method = match msg.method() {
            Some(Method::Ack) => Method::Invite,
            Some(m) => m.clone(),
            None => msg.cseq.1.clone(),
        };
        let via = msg.top_via();
        match via.branch() {
            Some(b) if b.starts_with(BRANCH_MAGIC) => TxKey::Rfc3261 { branch: b.to_owned(), sent_by: via.sent_by(), method },
            _ => TxKey::Rfc2543 {
                call_id: msg.call_id.clone(),
                cseq: msg.cseq.0,
                from_tag: msg.from.tag().unwrap_or_default().to_owned(),
                via: via.sent_by(),
                method,
            },
        }
    }

    /// The key of the INVITE a CANCEL refers to (same branch, method INVITE).
    pub fn cancelled_invite(msg: &Message) -> TxKey {
        match TxKey::of(msg) {
            TxKey::Rfc3261 { branch, sent_by, .. } => TxKey::Rfc3261 { branch, sent_by, method: Method::Invite },
            TxKey::Rfc2543 { call_id, cseq, from_tag, via, .. } => TxKey::Rfc2543 { call_id, cseq, from_tag, via, method: Method::Invite },
        }
    }
}
