//! Dialling out through a trunk: the dialog of the INVITE (the carrier's host in the URIs,
//! the Request-URI quirks, the outbound proxy as a pre-loaded route) and what the INVITE
//! carries for the carrier (caller identity, credentials). Calls decide when; this says how.

use std::net::SocketAddr;

use crate::sip::dialog::Dialog;
use crate::sip::transport::Source;
use crate::snapshot::TrunkEntry;

/// An INVITE to place on a trunk.
pub struct TrunkLeg {
    pub dialog: Dialog,
    /// Headers for the carrier (P-Asserted-Identity when the trunk asks for it).
    pub headers: Vec<(&'static str, String)>,
    /// Username and password to answer the carrier's 401/407 with.
    pub credentials: Option<(String, String)>,
}

/// The leg to `dialed` (strip/prepend already applied) through `entry`, reached at `dest`
/// from `local`, presenting `caller` (unless the trunk sets its own number) and `display`.
pub fn leg(entry: &TrunkEntry, dialed: &str, caller: &str, display: Option<String>, dest: Source, local: SocketAddr) -> TrunkLeg {
    let t = &entry.trunk;
    let from_user = t.caller_id.number.as_deref().unwrap_or(caller);
    let display = t.caller_id.display_name.clone().or(display);
    let uri_host = t.host.uri_form();
    let host = match t.port {
        Some(port) if port != 5060 => format!("{uri_host}:{port}"),
        _ => uri_host.to_string(),
    };
    let params = t.quirks.request_uri_params.trim_start_matches(';');
    let target = if params.is_empty() { format!("sip:{dialed}@{host}") } else { format!("sip:{dialed}@{host};{params}") };
    let dialog = Dialog {
        call_id: crate::sip::endpoint::ids::new_call_id(),
        local_uri: format!("sip:{from_user}@{uri_host}"),
        local_display: display,
        local_tag: crate::sip::endpoint::ids::new_tag(),
        remote_uri: format!("sip:{dialed}@{uri_host}"),
        remote_tag: None,
        remote_target: target,
        // RFC 3261 section 8.1.2: the outbound proxy is a pre-loaded route.
        route_set: t.outbound_proxy.as_ref().map(|p| vec![format!("sip:{p};lr")]).unwrap_or_default(),
        dest,
        local,
        cseq: 1,
        max_forwards: 70,
        tcp_for_large: t.quirks.force_tcp_for_large,
        follow_contact: true,
    };
    let mut headers = Vec::new();
    if t.caller_id.p_asserted_identity {
        headers.push(("P-Asserted-Identity", format!("<sip:{from_user}@{}>", t.host)));
    }
    let credentials = match (&t.username, &entry.password) {
        (Some(u), Some(p)) => Some((t.auth_username.clone().unwrap_or_else(|| u.clone()), p.clone())),
        _ => None,
    };
    TrunkLeg { dialog, headers, credentials }
}
