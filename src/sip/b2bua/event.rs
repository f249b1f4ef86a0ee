//! What happens to a call, delivered to its task: outcomes of the INVITEs it placed,
//! requests in its dialogs, CANCEL and hang-up from the API.

use std::sync::Arc;

use crate::sip::endpoint::responder::Responder;
use crate::sip::transaction::client::Outcome;
use crate::sip::wire::Message;

/// One thing that happened to a call (its task handles them in order).
pub enum CallEvent {
    Fork { leg: usize, outcome: Outcome },
    Cancel,
    /// The caller's ACK for the 2xx, with its body (the SDP answer of a late offer).
    AckFromA(Option<(String, Vec<u8>)>),
    FromA { msg: Arc<Message>, responder: Responder },
    FromB { msg: Arc<Message>, responder: Responder },
    Hangup,
}
