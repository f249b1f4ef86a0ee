//! NAT keep-alive for registered devices whose REGISTER came from another address than
//! their Contact (a NAT in between): every interval an OPTIONS over UDP (answered with
//! anything: the device is there), or a double-CRLF ping on their TCP or TLS connection
//! (RFC 5626 section 4.4.1), keeps the NAT's mapping open. A device that leaves a probe
//! unanswered until the next one is marked unreachable (`registration.unreachable`), so
//! calls skip it, until it answers or registers again.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::Registrar;
use super::binding::{Binding, BindingTransport};
use crate::events::types::RegistrationUnreachableData;
use crate::events::{EventBus, EventPayload};
use crate::sip::endpoint::Endpoint;
use crate::sip::transaction::client::Outcome;
use crate::sip::transport::{Proto, Source};
use crate::sip::wire::uri::{Host, Uri};

/// Whether the device of `b` is behind a NAT: its Contact names another address or port
/// than the one its REGISTER came from (RFC 5626 section 3.2 in spirit). Bindings through
/// a proxy (Path, RFC 3327) are the proxy's to keep alive.
pub fn behind_nat(b: &Binding) -> bool {
    let Some(source) = b.source_addr() else { return false };
    if !b.path.is_empty() {
        return false;
    }
    let Ok(uri) = Uri::parse(b.contact.trim_start_matches('<').split('>').next().unwrap_or_default()) else { return true };
    let ip: IpAddr = match &uri.host {
        Host::Ip(ip) => *ip,
        Host::Name(_) => return true,
    };
    let default = if b.transport == BindingTransport::Tls { 5061 } else { 5060 };
    SocketAddr::new(ip, uri.port.unwrap_or(default)) != source
}

/// Probes this node's bindings behind NAT every `interval`.
pub fn start(registrar: Arc<Registrar>, endpoint: Arc<Endpoint>, bus: Arc<EventBus>, interval: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            for b in registrar.table.all().into_iter().filter(|b| registrar.owns(b) && behind_nat(b)) {
                let (registrar, endpoint, bus) = (registrar.clone(), endpoint.clone(), bus.clone());
                tokio::spawn(async move {
                    let answered = probe(&endpoint, &b, interval).await;
                    mark(&registrar, &bus, &b, answered);
                });
            }
        }
    });
}

/// Whether the device answered within `wait`.
async fn probe(endpoint: &Arc<Endpoint>, b: &Binding, wait: Duration) -> bool {
    let Some(addr) = b.source_addr() else { return false };
    let proto = match b.transport {
        BindingTransport::Udp => Proto::Udp,
        BindingTransport::Tcp => Proto::Tcp,
        BindingTransport::Tls => Proto::Tls,
    };
    let target = Source { addr, proto };
    if proto != Proto::Udp {
        return endpoint.transports.send_on_open_connection(target, b"\r\n\r\n".to_vec()).await;
    }
    let uri = b.contact.trim_start_matches('<').split('>').next().unwrap_or_default();
    let mut rx = crate::sip::endpoint::options::ping(endpoint, target, uri);
    let answered = async {
        while let Some(outcome) = rx.recv().await {
            match outcome {
                // Any final answer (even 404 or 405) shows the device is there.
                Outcome::Response(r) if r.status().unwrap_or(0) >= 200 => return true,
                Outcome::Response(_) => {}
                Outcome::Timeout => return false,
            }
        }
        false
    };
    tokio::time::timeout(wait, answered).await.unwrap_or(false)
}

fn mark(registrar: &Registrar, bus: &EventBus, b: &Binding, answered: bool) {
    // The binding may be gone or registered anew meanwhile: only a current one is marked.
    if !registrar.table.holds(&b.aor, &b.id) {
        return;
    }
    if answered {
        if registrar.unreachable.remove(&b.id).is_some() {
            tracing::info!(aor = %b.aor, contact = %b.contact, "a device behind NAT answers again");
        }
        return;
    }
    if registrar.unreachable.insert(b.id.clone()) {
        tracing::warn!(aor = %b.aor, contact = %b.contact, source = %b.source, "a device behind NAT stopped answering keep-alives: calls skip it");
        bus.publish(EventPayload::RegistrationUnreachable(RegistrationUnreachableData {
            binding_id: b.id.clone(),
            aor: b.aor.clone(),
            extension_id: b.extension_id.clone(),
            contact: b.contact.clone(),
            source: b.source.clone(),
            transport: b.transport,
            since: Utc::now(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding(contact: &str, source: &str) -> Binding {
        let now = Utc::now();
        Binding {
            id: "b".into(),
            aor: "1001".into(),
            extension_id: "e".into(),
            contact: contact.into(),
            instance: None,
            source: source.into(),
            transport: BindingTransport::Udp,
            user_agent: None,
            path: vec![],
            call_id: "c".into(),
            cseq: 1,
            expires_at: now,
            registered_at: now,
            refreshed_at: now,
            node: None,
        }
    }

    #[test]
    fn a_contact_that_is_not_the_source_is_behind_nat() {
        assert!(!behind_nat(&binding("sip:1001@192.0.2.5:5062", "192.0.2.5:5062")));
        assert!(!behind_nat(&binding("<sip:1001@192.0.2.5;transport=udp>", "192.0.2.5:5060")), "5060 by default");
        assert!(behind_nat(&binding("sip:1001@10.0.0.7:5060", "192.0.2.5:40112")), "a private Contact");
        assert!(behind_nat(&binding("sip:1001@192.0.2.5:5060", "192.0.2.5:40112")), "the port was mapped");
        assert!(behind_nat(&binding("sip:1001@phone.example.com", "192.0.2.5:5060")));
        let mut through_proxy = binding("sip:1001@10.0.0.7", "192.0.2.9:5060");
        through_proxy.path = vec!["<sip:edge.example.com;lr>".into()];
        assert!(!behind_nat(&through_proxy), "the proxy on the Path keeps it alive");
    }
}
