//! Server transactions: a retransmitted request gets the stored response (or one its
//! handler renders again, `Kept::Rendered`) without being processed again; final non-2xx
//! INVITE responses over UDP are retransmitted until the ACK arrives (timers G and H);
//! entries live for 64*T1 (timers J and H), except where
//! `keeps_state` says the response needs no state at all, and an INVITE transaction whose
//! non-2xx answer was ACKed, which lives T4 more (Timer I, `confirmed_for`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;

use super::key::TxKey;
use crate::sip::consts::{T4, TIMER_64T1};
use crate::sip::transport::{Proto, Source, Transports};

/// What a retransmitted request is answered with.
#[derive(Debug, Clone)]
pub enum Kept {
    /// The response as sent.
    Bytes(Vec<u8>, Source),
    /// A final response its handler renders again from the retransmitted request, with the
    /// same code and to-tag, instead of the bytes being kept: a REGISTER's 200 lists the
    /// bindings as they are then. At 15,000 REGISTER/s some 480,000 answered transactions
    /// are held for 64*T1; not keeping their answers saves about 100 MB.
    Rendered { code: u16, to_tag: String, dest: Source },
}

impl Kept {
    fn dest(&self) -> Source {
        match self {
            Kept::Bytes(_, dest) | Kept::Rendered { dest, .. } => *dest,
        }
    }
}

/// How a final response is kept for the request's retransmissions.
pub enum Keep {
    Bytes,
    /// Rendered again with this to-tag (see `Kept::Rendered`).
    Rendered { to_tag: String },
}

struct TxState {
    response: Option<Kept>,
    /// When the sweep forgets the transaction.
    expires: Instant,
    /// Set once the ACK arrived; only an INVITE answered with an error over UDP needs it
    /// (its answer is retransmitted until then).
    acked: Option<Arc<AtomicBool>>,
}

/// RFC 3261 section 17.2.1: once the ACK for a non-2xx final response arrives, the INVITE
/// server transaction is Confirmed and lives only to absorb retransmitted ACKs: Timer I
/// is T4 over unreliable transports and zero over reliable ones.
fn confirmed_for(reliable: bool) -> std::time::Duration {
    if reliable { std::time::Duration::ZERO } else { T4 }
}

/// Whether a final response to a request of `method` must be kept for the request's
/// retransmissions and the ACK:
/// - a challenge (401/407) to a non-INVITE request is sent statelessly, as RFC 3261
///   section 8.2.7 describes for unauthenticated challenges: a retransmission is simply
///   challenged again (a REGISTER storm then costs one stored response per REGISTER that
///   authenticated, not two);
/// - over TCP or TLS a non-INVITE transaction ends with its final response (Timer J is 0
///   for reliable transports, section 17.2.2);
/// - everything else is kept for 64*T1.
fn keeps_state(invite: bool, code: u16, reliable: bool) -> bool {
    invite || !(code == 401 || code == 407 || (reliable && code >= 200))
}

/// What is kept of a final response: its bytes when timer G retransmits them (RFC 3261
/// section 17.2.1: an INVITE's error over UDP) or when the handler does not render it
/// again, else only what rendering it again needs.
fn kept(keep: Keep, code: u16, retransmits: bool, bytes: impl FnOnce() -> Vec<u8>, dest: Source) -> Kept {
    match keep {
        Keep::Rendered { to_tag } if !retransmits => Kept::Rendered { code, to_tag, dest },
        _ => Kept::Bytes(bytes(), dest),
    }
}

pub enum Begin {
    /// A new request: process it.
    New,
    /// A retransmission; answer it with this response if there is one yet.
    Retransmission(Option<Kept>),
}

/// How many independently locked parts the table has. The sweep walks the whole table
/// once a second, holding one part's lock at a time, and a request for that part waits.
/// At 15,000 REGISTER/s the table holds about 500,000 answered transactions: with the
/// map's default of 8 parts (4 per core) one hold spans some 60,000 entries, with 256
/// about 2,000.
const TABLE_PARTS: usize = 256;

pub struct ServerTransactions {
    table: DashMap<TxKey, TxState>,
}

impl Default for ServerTransactions {
    fn default() -> Self {
        Self { table: DashMap::with_shard_amount(TABLE_PARTS) }
    }
}

impl ServerTransactions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn begin(&self, key: &TxKey) -> Begin {
        match self.table.entry(key.clone()) {
            Entry::Occupied(e) => Begin::Retransmission(e.get().response.clone()),
            Entry::Vacant(v) => {
                v.insert(TxState { response: None, expires: Instant::now() + TIMER_64T1, acked: None });
                Begin::New
            }
        }
    }

    /// Stores a provisional response so a retransmitted request gets it again.
    pub fn provisional(&self, key: &TxKey, bytes: Vec<u8>, dest: Source) {
        if let Some(mut s) = self.table.get_mut(key) {
            s.response = Some(Kept::Bytes(bytes, dest));
        }
    }

    pub fn exists(&self, key: &TxKey) -> bool {
        self.table.contains_key(key)
    }

    /// Sends the final response `code` to a request (an INVITE when `invite`) and keeps
    /// it (as `keep` says) for the request's retransmissions, or forgets the transaction
    /// when `keeps_state` says no state is needed; for a non-2xx INVITE answer over UDP,
    /// retransmits it (timer G) until ACK or timer H.
    #[allow(clippy::too_many_arguments)]
    pub async fn respond(&self, transports: &Arc<Transports>, key: &TxKey, bytes: Vec<u8>, dest: Source, invite: bool, code: u16, keep: Keep) {
        let invite_error = invite && code >= 300;
        let retransmits = invite_error && dest.proto == Proto::Udp;
        let acked = if keeps_state(invite, code, dest.proto.is_reliable()) {
            self.table.get_mut(key).and_then(|mut s| {
                s.response = Some(kept(keep, code, retransmits, || bytes.clone(), dest));
                if retransmits {
                    s.acked.get_or_insert_with(|| Arc::new(AtomicBool::new(false))).clone().into()
                } else {
                    None
                }
            })
        } else {
            self.table.remove(key);
            None
        };
        if let Err(e) = transports.send(dest, bytes.clone()).await {
            tracing::debug!(error = %e, dest = %dest.addr, "cannot send response");
        }
        if let Some(acked) = acked {
            super::retransmit::until_acknowledged(transports.clone(), dest, bytes, acked);
        }
    }

    /// An ACK for a non-2xx final response ends the INVITE transaction's retransmissions
    /// and shortens its life to Timer I.
    pub fn ack(&self, key: &TxKey) -> bool {
        match self.table.get_mut(key) {
            Some(mut s) => {
                if let Some(acked) = &s.acked {
                    acked.store(true, Ordering::Release);
                }
                let reliable = s.response.as_ref().is_some_and(|kept| kept.dest().proto.is_reliable());
                s.expires = s.expires.min(Instant::now() + confirmed_for(reliable));
                true
            }
            None => false,
        }
    }

    /// Drops transactions whose time is up (64*T1, or Timer I once confirmed).
    pub fn sweep(&self) {
        let now = Instant::now();
        self.table.retain(|_, s| now < s.expires);
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::{Keep, Kept, T4, confirmed_for, kept, keeps_state};
    use crate::sip::transport::{Proto, Source};
    use std::time::Duration;

    #[test]
    fn only_an_answer_rendered_again_and_not_retransmitted_is_kept_without_its_bytes() {
        let dest = Source { addr: "127.0.0.1:5060".parse().expect("addr"), proto: Proto::Udp };
        let rendered = || Keep::Rendered { to_tag: "t1".to_owned() };
        assert!(matches!(kept(rendered(), 200, false, Vec::new, dest), Kept::Rendered { code: 200, ref to_tag, .. } if to_tag == "t1"));
        assert!(matches!(kept(rendered(), 486, true, || b"SIP/2.0 486".to_vec(), dest), Kept::Bytes(ref b, _) if b == b"SIP/2.0 486"), "timer G resends the bytes (17.2.1)");
        assert!(matches!(kept(Keep::Bytes, 200, false, || b"x".to_vec(), dest), Kept::Bytes(..)));
    }

    #[test]
    fn a_confirmed_invite_transaction_lives_timer_i() {
        assert_eq!(confirmed_for(false), T4, "UDP: T4 absorbs retransmitted ACKs (17.2.1)");
        assert_eq!(confirmed_for(true), Duration::ZERO, "TCP/TLS: no ACK retransmissions");
    }

    #[test]
    fn challenges_and_reliable_non_invite_answers_keep_no_state() {
        assert!(!keeps_state(false, 401, false), "a REGISTER challenge over UDP (8.2.7)");
        assert!(!keeps_state(false, 407, false));
        assert!(keeps_state(false, 200, false), "a REGISTER's 200 over UDP absorbs retransmissions for 64*T1 (17.2.2)");
        assert!(!keeps_state(false, 200, true), "Timer J is 0 over TCP");
        assert!(keeps_state(true, 407, false), "an INVITE's challenge waits for its ACK (17.2.1)");
        assert!(keeps_state(true, 200, true));
    }
}
