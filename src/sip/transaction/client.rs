//! Client transactions (RFC 3261 section 17.1): requests Callplane sends, retransmitted
//! over UDP (timers A and E, doubling from T1, non-INVITE capped at T2) until a response,
//! given up after 64*T1 (timers B and F); final non-2xx answers to an INVITE are ACKed
//! hop by hop by the transaction itself, also when retransmitted (timer D).

use std::sync::Arc;
use std::time::Duration;

use dashmap::DashMap;
use tokio::sync::mpsc;

use crate::sip::consts::{T1, T2, TIMER_64T1};
use crate::sip::transport::{Source, Transports};
use crate::sip::wire::{Message, Method};

/// Responses are matched by the branch of the top Via and the CSeq method.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientKey {
    pub branch: String,
    pub method: String,
}

impl ClientKey {
    pub fn of_response(msg: &Message) -> Option<ClientKey> {
        Some(ClientKey { branch: msg.top_via().branch()?.to_owned(), method: msg.cseq.1.as_str().to_owned() })
    }
}

/// What a transaction reports to its owner.
#[derive(Debug)]
pub enum Outcome {
    /// Boxed: the outcome travels through a channel per transaction, whose slots are
    /// as large as the item.
    Response(Box<Message>),
    /// No final response within 64*T1 (or the transport failed): treat as 408.
    Timeout,
}

#[derive(Default)]
pub struct ClientTransactions {
    table: DashMap<ClientKey, mpsc::UnboundedSender<Box<Message>>>,
}

/// A request to send: bytes plus what the transaction needs to know about them.
pub struct Outgoing {
    pub bytes: Vec<u8>,
    pub branch: String,
    pub method: Method,
    pub target: Source,
    /// For INVITE: builds the ACK for a non-2xx final response.
    pub ack_for: Option<Box<dyn Fn(&Message) -> Vec<u8> + Send + Sync>>,
}

impl ClientTransactions {
    pub fn new() -> Self {
        Self::default()
    }

    /// Hands a response to its transaction; `false` when none is waiting for it.
    pub fn dispatch(&self, msg: Message) -> Result<(), Message> {
        let Some(key) = ClientKey::of_response(&msg) else { return Err(msg) };
        match self.table.get(&key) {
            Some(tx) => tx.send(Box::new(msg)).map_err(|e| *e.0),
            None => Err(msg),
        }
    }

    /// Sends `req` and returns a receiver of provisional and final outcomes; the last item
    /// is a final response or `Timeout`.
    pub fn start(self: &Arc<Self>, transports: Arc<Transports>, req: Outgoing) -> mpsc::UnboundedReceiver<Outcome> {
        let key = ClientKey { branch: req.branch.clone(), method: req.method.as_str().to_owned() };
        let (resp_tx, mut resp_rx) = mpsc::unbounded_channel::<Box<Message>>();
        let (out_tx, out_rx) = mpsc::unbounded_channel::<Outcome>();
        self.table.insert(key.clone(), resp_tx);
        let table = self.clone();
        tokio::spawn(async move {
            let reliable = req.target.proto.is_reliable();
            let invite = req.method == Method::Invite;
            if transports.send(req.target, req.bytes.clone()).await.is_err() {
                let _ = out_tx.send(Outcome::Timeout);
                table.table.remove(&key);
                return;
            }
            let deadline = tokio::time::Instant::now() + TIMER_64T1;
            let mut interval = T1;
            let mut next_retransmit = tokio::time::Instant::now() + interval;
            let mut provisional_seen = false;
            loop {
                let wake = if reliable || (invite && provisional_seen) { deadline } else { next_retransmit.min(deadline) };
                tokio::select! {
                    msg = resp_rx.recv() => {
                        let Some(msg) = msg else { break };
                        let code = msg.status().unwrap_or(0);
                        if code < 200 {
                            provisional_seen = true;
                            let _ = out_tx.send(Outcome::Response(msg));
                            continue;
                        }
                        if invite && code >= 300 {
                            // Hop-by-hop ACK, also for retransmitted finals (timer D).
                            if let Some(ack) = &req.ack_for {
                                let _ = transports.send(req.target, ack(&msg)).await;
                            }
                        }
                        let _ = out_tx.send(Outcome::Response(msg));
                        if !invite || code < 300 || reliable {
                            break;
                        }
                        // Timer D: absorb retransmitted finals for a while over UDP.
                        let linger = tokio::time::sleep(Duration::from_secs(32));
                        tokio::pin!(linger);
                        loop {
                            tokio::select! {
                                again = resp_rx.recv() => match again {
                                    Some(m) if m.status().unwrap_or(0) >= 300 => {
                                        if let Some(ack) = &req.ack_for {
                                            let _ = transports.send(req.target, ack(&m)).await;
                                        }
                                    }
                                    Some(_) => {}
                                    None => break,
                                },
                                _ = &mut linger => break,
                            }
                        }
                        break;
                    }
                    _ = tokio::time::sleep_until(wake) => {
                        if tokio::time::Instant::now() >= deadline {
                            let _ = out_tx.send(Outcome::Timeout);
                            break;
                        }
                        // Nobody waits for a non-INVITE's outcome any more (a server given
                        // up on for the next one): it is not sent again.
                        if !invite && out_tx.is_closed() {
                            break;
                        }
                        let _ = transports.send(req.target, req.bytes.clone()).await;
                        interval = if invite { interval * 2 } else { (interval * 2).min(T2) };
                        next_retransmit = tokio::time::Instant::now() + interval;
                    }
                }
            }
            table.table.remove(&key);
        });
        out_rx
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}
