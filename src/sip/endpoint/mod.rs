//! The SIP endpoint: transports, transactions, responding, identifiers and local address
//! selection. It knows nothing of calls, registrations or trunks; everything above it
//! sends and answers through it.

pub mod ids;
pub mod local_addr;
pub mod options;
pub mod responder;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::sip::transaction::client::ClientTransactions;
use crate::sip::transaction::server::ServerTransactions;
use crate::sip::transport::{Proto, Transports};

pub struct Endpoint {
    pub transports: Arc<Transports>,
    /// Server transactions (requests we answer).
    pub transactions: ServerTransactions,
    /// Client transactions (requests we send).
    pub client: Arc<ClientTransactions>,
    /// Where requests to a host name go (RFC 3263).
    pub locator: Arc<crate::sip::locate::Locator>,
}

impl Endpoint {
    pub fn new(transports: Arc<Transports>, locator: Arc<crate::sip::locate::Locator>) -> Endpoint {
        Endpoint { transports, transactions: ServerTransactions::new(), client: Arc::new(ClientTransactions::new()), locator }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.transports.local_addr()
    }

    /// Our address as `peer` reaches it (Via, Contact): the listen address, or the local
    /// interface towards `peer` when listening on all interfaces.
    pub fn local_addr_for(&self, peer: IpAddr) -> SocketAddr {
        SocketAddr::new(local_addr::local_ip_for(peer, self.local_addr()), self.local_addr().port())
    }

    /// Our address towards `peer` on `proto`: the TLS port for TLS, else as `local_addr_for`.
    pub fn local_addr_on(&self, peer: IpAddr, proto: Proto) -> SocketAddr {
        match (proto, self.transports.tls_local_addr()) {
            (Proto::Tls, Some(tls)) => SocketAddr::new(local_addr::local_ip_for(peer, tls), tls.port()),
            _ => self.local_addr_for(peer),
        }
    }
}
