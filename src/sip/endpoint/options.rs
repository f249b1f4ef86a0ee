//! An out-of-dialog OPTIONS asking whether a peer is there (RFC 3261 section 11): the
//! registrar sends it to a registered device, a trunk to its carrier's server. Any final
//! answer, even 404 or 405, shows the peer is alive; what to make of it is the caller's.

use tokio::sync::mpsc;

use super::Endpoint;
use super::ids::{new_branch, new_call_id, new_tag};
use crate::sip::consts::SERVER;
use crate::sip::transaction::client::{Outcome, Outgoing};
use crate::sip::transport::Source;
use crate::sip::wire::Method;
use crate::sip::wire::compose::Compose;

/// Sends OPTIONS for `uri` to `target` in a client transaction of its own; its outcomes
/// arrive on the returned channel.
pub fn ping(endpoint: &Endpoint, target: Source, uri: &str) -> mpsc::UnboundedReceiver<Outcome> {
    let local = endpoint.local_addr_on(target.addr.ip(), target.proto);
    let branch = new_branch();
    let mut request = Compose::request("OPTIONS", uri);
    request
        .header("Via", &format!("SIP/2.0/{} {local};branch={branch};rport", target.proto.as_str()))
        .header("Max-Forwards", "70")
        .header("From", &format!("<sip:callplane@{local}>;tag={}", new_tag()))
        .header("To", &format!("<{uri}>"))
        .header("Call-ID", &new_call_id())
        .header("CSeq", "1 OPTIONS")
        .header("User-Agent", SERVER);
    endpoint.client.start(
        endpoint.transports.clone(),
        Outgoing { bytes: request.finish(None), branch, method: Method::Options, target, ack_for: None },
    )
}
