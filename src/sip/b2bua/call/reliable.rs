//! Reliable provisional responses (RFC 3262) on each leg on its own: PRACK for a callee's
//! reliable 18x, and reliable 18x to a caller that supports 100rel, retransmitted until
//! its PRACK.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::Call;
use crate::sip::dialog::request as outbound;
use crate::sip::transaction::client::Outgoing;
use crate::sip::transaction::retransmit;
use crate::sip::wire::{Message, Method};

impl Call {
    pub(super) fn stop_reliable_provisionals(&self) {
        if let Some(flag) = &self.a_prack {
            flag.store(true, Ordering::Release);
        }
    }

    /// RFC 3262: a reliable provisional from a callee is acknowledged with PRACK on its
    /// early dialog (each leg terminates 100rel on its own).
    pub(super) fn prack_if_reliable(&mut self, leg: usize, resp: &Message) {
        let reliable = resp.header_all("Require").flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case("100rel"));
        let Some(rseq) = resp.header("RSeq").and_then(|v| v.trim().parse::<u32>().ok()) else { return };
        if !reliable {
            return;
        }
        let fork = &mut self.forks[leg];
        fork.dialog.cseq += 1;
        // The early dialog of this 18x (RFC 3262 section 4: PRACK is sent within it).
        let mut d = fork.dialog.clone();
        d.establish(resp);
        let branch = crate::sip::endpoint::ids::new_branch();
        let bytes = outbound::request(&d, &Method::Prack, d.cseq, &branch, &[("RAck", format!("{rseq} 1 INVITE"))], None);
        let mut rx = self.env.endpoint.client.start(
            self.env.endpoint.transports.clone(),
            Outgoing { bytes, branch, method: Method::Prack, target: d.dest, ack_for: None },
        );
        tokio::spawn(async move { while rx.recv().await.is_some() {} });
    }

    /// Relays a 18x to the caller: reliably (Require: 100rel, RSeq, retransmitted until its
    /// PRACK) when the caller supports 100rel, plainly otherwise.
    pub(super) async fn relay_provisional(&mut self, code: u16, reason: &str, body: Option<(String, Vec<u8>)>) {
        if self.connected {
            // A transfer target rings: the caller's dialog is confirmed, nothing to relay.
            return;
        }
        let body = body.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()));
        if !self.caller_100rel {
            self.responder.provisional(code, reason, &[], body).await;
            return;
        }
        self.a_rseq += 1;
        let extra = [
            ("Require", "100rel".to_owned()),
            ("RSeq", self.a_rseq.to_string()),
            ("Contact", outbound::contact(self.a.local, self.a.dest.proto)),
        ];
        let bytes = self.responder.provisional(code, reason, &extra, body).await;
        let acked = Arc::new(AtomicBool::new(false));
        if let Some(previous) = self.a_prack.replace(acked.clone()) {
            previous.store(true, Ordering::Release);
        }
        if self.a.dest.proto == crate::sip::transport::Proto::Udp {
            retransmit::until_acknowledged(self.env.endpoint.transports.clone(), self.responder.dest(), bytes, acked);
        }
    }
}
