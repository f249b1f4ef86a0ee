//! Server transactions: a retransmitted request gets the stored response without being
//! processed again; final non-2xx INVITE responses over UDP are retransmitted until the
//! ACK arrives (timers G and H); entries live for 64*T1 (timers J and I).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use dashmap::DashMap;
use dashmap::mapref::entry::Entry;

use super::key::TxKey;
use crate::sip::consts::TIMER_64T1;
use crate::sip::transport::{Proto, Source, Transports};

struct TxState {
    response: Option<(Vec<u8>, Source)>,
    created: Instant,
    acked: Arc<AtomicBool>,
}

pub enum Begin {
    /// A new request: process it.
    New,
    /// A retransmission; resend this response if there is one yet.
    Retransmission(Option<(Vec<u8>, Source)>),
}

#[derive(Default)]
pub struct ServerTransactions {
    table: DashMap<TxKey, TxState>,
}

impl ServerTransactions {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn begin(&self, key: &TxKey) -> Begin {
        match self.table.entry(key.clone()) {
            Entry::Occupied(e) => Begin::Retransmission(e.get().response.clone()),
            Entry::Vacant(v) => {
                v.insert(TxState { response: None, created: Instant::now(), acked: Arc::new(AtomicBool::new(false)) });
                Begin::New
            }
        }
    }

    /// Stores a provisional response so a retransmitted request gets it again.
    pub fn provisional(&self, key: &TxKey, bytes: Vec<u8>, dest: Source) {
        if let Some(mut s) = self.table.get_mut(key) {
            s.response = Some((bytes, dest));
        }
    }

    pub fn exists(&self, key: &TxKey) -> bool {
        self.table.contains_key(key)
    }

    /// Stores the final response and sends it; for a non-2xx INVITE answer over UDP,
    /// retransmits it (timer G) until ACK or timer H.
    pub async fn respond(&self, transports: &Arc<Transports>, key: &TxKey, bytes: Vec<u8>, dest: Source, invite_error: bool) {
        let acked = self.table.get_mut(key).map(|mut s| {
            s.response = Some((bytes.clone(), dest));
            s.acked.clone()
        });
        if let Err(e) = transports.send(dest, bytes.clone()).await {
            tracing::debug!(error = %e, dest = %dest.addr, "cannot send response");
        }
        if let (true, Proto::Udp, Some(acked)) = (invite_error, dest.proto, acked) {
            super::retransmit::until_acknowledged(transports.clone(), dest, bytes, acked);
        }
    }

    /// An ACK for a non-2xx final response ends the INVITE transaction's retransmissions.
    pub fn ack(&self, key: &TxKey) -> bool {
        match self.table.get(key) {
            Some(s) => {
                s.acked.store(true, Ordering::Release);
                true
            }
            None => false,
        }
    }

    /// Drops transactions older than 64*T1.
    pub fn sweep(&self) {
        self.table.retain(|_, s| s.created.elapsed() < TIMER_64T1);
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}
