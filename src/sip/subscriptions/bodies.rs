//! NOTIFY bodies of the three event packages, built from state; pure.

use super::lines::LineCall;
pub use crate::model::mailbox::MessageCounts;

/// Escapes text for XML content and attributes.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// RFC 4235 section 4: `application/dialog-info+xml`, always a full state (section 4.1:
/// `version` counts the NOTIFYs of the subscription from 0; `state="full"` lists every
/// dialog, so a phone that missed one NOTIFY is right again with the next). `host` is the
/// domain of the SIP URIs.
pub fn dialog_info(number: &str, host: &str, version: u32, calls: &[LineCall]) -> String {
    let entity = format!("sip:{}@{}", esc(number), esc(host));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"{version}\" state=\"full\" entity=\"{entity}\">\n"
    );
    for c in calls {
        let peer = format!("sip:{}@{}", esc(&c.peer), esc(host));
        // RFC 4235 section 4.1.1: call-id and tags are the device's dialog when known
        // (what a busy-lamp key puts in Replaces to pick the call up).
        let ids = match &c.sip {
            Some(d) => format!("call-id=\"{}\" local-tag=\"{}\" remote-tag=\"{}\"", esc(&d.call_id), esc(&d.local_tag), esc(&d.remote_tag)),
            None => format!("call-id=\"{}\"", esc(&c.call_id)),
        };
        xml.push_str(&format!(
            "  <dialog id=\"{id}\" {ids} direction=\"{dir}\">\n    <state>{state}</state>\n    <local><identity>{entity}</identity><target uri=\"{entity}\"/></local>\n    <remote><identity>{peer}</identity><target uri=\"{peer}\"/></remote>\n  </dialog>\n",
            id = esc(&c.call_id),
            dir = c.direction.as_str(),
            state = c.state.as_str(),
        ));
    }
    xml.push_str("</dialog-info>\n");
    xml
}

/// What presence says of an extension (RFC 3856 with the RPID activities of RFC 4480).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Registered, no call.
    Available,
    /// Registered, in a call or being rung.
    OnThePhone,
    /// Do-not-disturb is on.
    DoNotDisturb,
    /// No device registered.
    Offline,
}

impl Presence {
    /// As `presence.changed` names it.
    pub fn as_event(self) -> crate::events::types::PresenceState {
        use crate::events::types::PresenceState as S;
        match self {
            Presence::Available => S::Available,
            Presence::OnThePhone => S::OnThePhone,
            Presence::DoNotDisturb => S::DoNotDisturb,
            Presence::Offline => S::Offline,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Available => "available",
            Presence::OnThePhone => "on-the-phone",
            Presence::DoNotDisturb => "do-not-disturb",
            Presence::Offline => "offline",
        }
    }
}

/// RFC 3863 `application/pidf+xml`: `basic` open when a device is registered, closed
/// otherwise (section 4.1.4); the activity as RPID (RFC 4480 section 3.2: `on-the-phone`,
/// `busy` for do-not-disturb) and a note a person can read.
/// RFC 3863 section 4.1: tuples, then notes, then elements of other namespaces (the
/// person with its RPID activity, RFC 4480).
pub fn pidf(number: &str, host: &str, presence: Presence) -> String {
    let entity = format!("sip:{}@{}", esc(number), esc(host));
    let basic = if presence == Presence::Offline { "closed" } else { "open" };
    let (activity, note) = match presence {
        Presence::Available => (None, "Available"),
        Presence::OnThePhone => (Some("on-the-phone"), "On the phone"),
        Presence::DoNotDisturb => (Some("busy"), "Do not disturb"),
        Presence::Offline => (None, "Offline"),
    };
    let person = activity
        .map(|a| format!("  <dm:person id=\"p1\">\n    <rpid:activities><rpid:{a}/></rpid:activities>\n  </dm:person>\n"))
        .unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"{entity}\">\n  <tuple id=\"t1\">\n    <status><basic>{basic}</basic></status>\n    <contact>{entity}</contact>\n  </tuple>\n  <note>{note}</note>\n{person}</presence>\n"
    )
}

/// RFC 3842 section 5.2 `application/simple-message-summary`: `Messages-Waiting` yes when
/// there are new messages, the account, and the voice counts `new/old (urgent new/urgent old)`.
pub fn message_summary(number: &str, host: &str, counts: MessageCounts) -> String {
    format!(
        "Messages-Waiting: {}\r\nMessage-Account: sip:{number}@{host}\r\nVoice-Message: {}/{} ({}/{})\r\n",
        if counts.new_messages > 0 { "yes" } else { "no" },
        counts.new_messages,
        counts.old_messages,
        counts.new_urgent,
        counts.old_urgent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::subscriptions::lines::{DialogState, Direction, SipDialog};

    #[test]
    fn dialog_info_is_full_state_with_version_and_one_dialog_per_call() {
        let calls = [LineCall { call_id: "c<1>".into(), direction: Direction::Recipient, state: DialogState::Early, peer: "1001".into(), sip: None }];
        let xml = dialog_info("1002", "pbx.example", 3, &calls);
        assert!(xml.contains(r#"version="3" state="full" entity="sip:1002@pbx.example""#), "{xml}");
        assert!(xml.contains(r#"<dialog id="c&lt;1&gt;" call-id="c&lt;1&gt;" direction="recipient">"#), "{xml}");
        assert!(xml.contains("<state>early</state>"));
        assert!(xml.contains("<remote><identity>sip:1001@pbx.example</identity>"));
        let idle = dialog_info("1002", "pbx.example", 4, &[]);
        assert!(!idle.contains("<dialog "), "no dialog: the line is idle");
    }

    // RFC 4235 section 4.1.1: with the device's dialog known, its Call-ID and tags are the
    // dialog's attributes (a busy-lamp key builds Replaces from them, RFC 3891).
    #[test]
    fn a_ringing_dialog_names_the_devices_sip_dialog() {
        let sip = Some(SipDialog { call_id: "b-leg@pbx".into(), local_tag: "phone".into(), remote_tag: "ours".into() });
        let calls = [LineCall { call_id: "c1".into(), direction: Direction::Recipient, state: DialogState::Early, peer: "1001".into(), sip }];
        let xml = dialog_info("1002", "pbx.example", 0, &calls);
        assert!(xml.contains(r#"<dialog id="c1" call-id="b-leg@pbx" local-tag="phone" remote-tag="ours" direction="recipient">"#), "{xml}");
    }

    #[test]
    fn pidf_basic_follows_registration_and_the_activity_the_line() {
        assert!(pidf("1002", "h", Presence::Available).contains("<basic>open</basic>"));
        assert!(pidf("1002", "h", Presence::Offline).contains("<basic>closed</basic>"));
        let busy = pidf("1002", "h", Presence::OnThePhone);
        assert!(busy.contains("<rpid:on-the-phone/>") && busy.contains("<basic>open</basic>"));
        assert!(pidf("1002", "h", Presence::DoNotDisturb).contains("<rpid:busy/>"));
        // RFC 3863 section 4.1: the note before the other namespaces' elements.
        assert!(busy.find("<note>") < busy.find("<dm:person"), "{busy}");
    }

    #[test]
    fn message_summary_has_the_rfc_3842_lines() {
        let body = message_summary("1002", "h", MessageCounts { new_messages: 2, old_messages: 8, new_urgent: 0, old_urgent: 2 });
        assert_eq!(body, "Messages-Waiting: yes\r\nMessage-Account: sip:1002@h\r\nVoice-Message: 2/8 (0/2)\r\n");
        assert!(message_summary("1002", "h", MessageCounts::default()).starts_with("Messages-Waiting: no\r\n"));
    }
}
