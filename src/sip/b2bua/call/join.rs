//! A party that joins a call with an INVITE of its own (an INVITE with Replaces, a pickup,
//! a park slot retrieval): Callplane is the UAS of its dialog, answers it, and keeps the
//! 2xx going until its ACK.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::{Call, Fork};
use crate::sip::dialog::Dialog;
use crate::sip::dialog::request as outbound;
use crate::sip::endpoint::responder::Responder;
use crate::sip::transport::{Proto, Source};
use crate::sip::wire::Message;

impl Call {
    /// Answers `invite` with `answer` and returns the newcomer's leg (not yet one of the
    /// call's forks); its in-dialog requests and ACK reach this call from now on.
    pub(super) async fn join_by_invite(&mut self, invite: &Arc<Message>, responder: &Responder, source: Source, answer: Option<(String, Vec<u8>)>) -> Fork {
        let local = self.env.endpoint.local_addr_on(source.addr.ip(), source.proto);
        let dialog = Dialog::uas(invite, responder.to_tag(), source, local);
        let number = invite.from.uri.number().unwrap_or_default();
        let contact = outbound::contact(local, source.proto);
        responder.respond(200, "OK", &[("Contact", contact)], answer.as_ref().map(|(c, b)| (c.as_str(), b.as_slice()))).await;
        let acked = Arc::new(AtomicBool::new(false));
        if source.proto == Proto::Udp {
            if let Some((bytes, dest)) = responder.last_final() {
                crate::sip::transaction::retransmit::until_acknowledged(self.env.endpoint.transports.clone(), dest, bytes, acked.clone());
            }
        }
        self.env.calls.add_caller_dialog(&self.id, crate::sip::b2bua::Calls::a_key(&invite.call_id, invite.from.tag().unwrap_or_default()));
        self.env.calls.mark_answered(&invite.call_id);
        let mut fork = Fork::joined(dialog, number, outbound::body_of(invite), super::session::declares_update(invite));
        fork.acked = Some(acked);
        fork.behind_nat = super::media::sender_behind_nat(invite, source.addr.ip());
        fork
    }
}
