//! Session timers (RFC 4028): which side refreshes a leg's session and when, from the
//! Session-Expires, Min-SE and Supported headers of the INVITE and its 2xx. Pure rules;
//! the call keeps one timer per leg and acts on them.

use std::time::Duration;

use crate::sip::wire::Message;

/// The RFC's floor for Min-SE (section 4).
pub const MIN_SE_FLOOR: u32 = 90;

/// Who sends the refreshes of a leg's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresher {
    /// Callplane refreshes (re-INVITE or UPDATE at half the interval).
    Us,
    /// The peer refreshes; without a refresh in time the session ends.
    Peer,
}

/// A leg's negotiated session timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionTimer {
    pub interval_s: u32,
    pub refresher: Refresher,
    /// The peer supports timers (`Supported: timer`): our 2xx carries `Require: timer`.
    pub peer_supports: bool,
}

impl SessionTimer {
    /// When Callplane sends its refresh: half the interval (section 10).
    pub fn refresh_after(&self) -> Duration {
        Duration::from_secs(u64::from(self.interval_s / 2))
    }

    /// When a missing refresh ends the session: the interval less a third of it, at most
    /// 32 s (section 10).
    pub fn expire_after(&self) -> Duration {
        let margin = (self.interval_s / 3).min(32);
        Duration::from_secs(u64::from(self.interval_s - margin))
    }

    /// The Session-Expires value for messages on this leg, `refresher` as seen by the
    /// peer whose role (UAC or UAS of the INVITE) is `peer_is_uac`.
    pub fn header(&self, peer_is_uac: bool) -> String {
        let peer_refreshes = self.refresher == Refresher::Peer;
        let role = if peer_refreshes == peer_is_uac { "uac" } else { "uas" };
        format!("{};refresher={role}", self.interval_s)
    }
}

/// What the UAS side decides for an INVITE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UasDecision {
    /// Section 9: a Session-Expires below our Min-SE is refused with 422 and our Min-SE.
    TooSmall { min_se: u32 },
    Timer(SessionTimer),
}

fn supports_timer(msg: &Message) -> bool {
    msg.header_all("Supported").chain(msg.header_all("Require")).flat_map(|v| v.split(',')).any(|t| t.trim().eq_ignore_ascii_case("timer"))
}

/// `Session-Expires: <delta>[;refresher=uac|uas]` (section 4; compact form `x` is expanded
/// by the parser). `None` when absent or unreadable.
fn session_expires(msg: &Message) -> Option<(u32, Option<String>)> {
    let value = msg.header("Session-Expires")?;
    let mut parts = value.split(';');
    let delta = parts.next()?.trim().parse::<u32>().ok()?;
    let refresher = parts.find_map(|p| {
        let (n, v) = p.split_once('=')?;
        n.trim().eq_ignore_ascii_case("refresher").then(|| v.trim().to_ascii_lowercase())
    });
    Some((delta, refresher))
}

/// Section 9, as the UAS of `invite`: with our `interval_s` and `min_se`.
pub fn uas_negotiate(invite: &Message, interval_s: u32, min_se: u32) -> UasDecision {
    let peer_supports = supports_timer(invite);
    let min_se = min_se.max(MIN_SE_FLOOR);
    match session_expires(invite) {
        Some((asked, _)) if asked < min_se => UasDecision::TooSmall { min_se },
        Some((asked, refresher)) => {
            // The UAC named the refresher, or left it to us: the UAC when it supports
            // timers, else us (it cannot refresh what it does not know).
            let refresher = match refresher.as_deref() {
                Some("uas") => Refresher::Us,
                Some("uac") if peer_supports => Refresher::Peer,
                _ if peer_supports => Refresher::Peer,
                _ => Refresher::Us,
            };
            UasDecision::Timer(SessionTimer { interval_s: asked, refresher, peer_supports })
        }
        // No Session-Expires: we may still run one; the UAC refreshes only if it knows how.
        None => UasDecision::Timer(SessionTimer {
            interval_s: interval_s.max(min_se),
            refresher: if peer_supports { Refresher::Peer } else { Refresher::Us },
            peer_supports,
        }),
    }
}

/// Section 7.2, as the UAC of an INVITE whose 2xx is `response`: its Session-Expires
/// names the refresher; without one the peer runs no timer and neither do we.
pub fn uac_negotiate(response: &Message) -> Option<SessionTimer> {
    let (interval_s, refresher) = session_expires(response)?;
    let refresher = match refresher.as_deref() {
        Some("uas") => Refresher::Peer,
        _ => Refresher::Us,
    };
    Some(SessionTimer { interval_s, refresher, peer_supports: supports_timer(response) })
}

/// Section 7.1: the Min-SE of a 422, to ask again with (never below our own).
pub fn min_se_of(response: &Message, ours: u32) -> Option<u32> {
    let theirs = response.header("Min-SE")?.split(';').next()?.trim().parse::<u32>().ok()?;
    Some(theirs.max(ours))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(first: &str, extra: &str) -> Message {
        let text = format!(
            "{first}\r\nVia: SIP/2.0/UDP 10.0.0.5;branch=z9hG4bK1\r\nMax-Forwards: 70\r\nFrom: <sip:1001@pbx>;tag=a\r\n\
             To: <sip:1002@pbx>;tag=b\r\nCall-ID: st1\r\nCSeq: 1 INVITE\r\nContact: <sip:1001@10.0.0.5>\r\n{extra}Content-Length: 0\r\n\r\n"
        );
        crate::sip::wire::parse(text.as_bytes(), true).expect("message")
    }

    fn invite(extra: &str) -> Message {
        msg("INVITE sip:1002@pbx SIP/2.0", extra)
    }

    // Section 9: below our Min-SE, 422 with our Min-SE.
    #[test]
    fn a_too_short_interval_is_refused_with_422() {
        assert_eq!(uas_negotiate(&invite("Session-Expires: 60\r\nSupported: timer\r\n"), 1800, 90), UasDecision::TooSmall { min_se: 90 });
        assert_eq!(uas_negotiate(&invite("Session-Expires: 100\r\n"), 1800, 120), UasDecision::TooSmall { min_se: 120 });
    }

    // Section 4: Min-SE is never below 90 s, whatever the configuration says.
    #[test]
    fn min_se_has_a_floor_of_90() {
        assert_eq!(uas_negotiate(&invite("Session-Expires: 60\r\n"), 1800, 30), UasDecision::TooSmall { min_se: 90 });
    }

    // Section 9: the UAC that supports timers refreshes when it asked to or left it open.
    #[test]
    fn a_uac_with_timer_support_refreshes() {
        let d = uas_negotiate(&invite("Session-Expires: 1800\r\nSupported: timer, 100rel\r\n"), 1800, 90);
        assert_eq!(d, UasDecision::Timer(SessionTimer { interval_s: 1800, refresher: Refresher::Peer, peer_supports: true }));
        let d = uas_negotiate(&invite("Session-Expires: 600;refresher=uas\r\nSupported: timer\r\n"), 1800, 90);
        assert_eq!(d, UasDecision::Timer(SessionTimer { interval_s: 600, refresher: Refresher::Us, peer_supports: true }));
    }

    // Section 9: a UAC without timer support cannot refresh: the UAS does.
    #[test]
    fn without_timer_support_we_refresh() {
        let d = uas_negotiate(&invite(""), 1800, 90);
        assert_eq!(d, UasDecision::Timer(SessionTimer { interval_s: 1800, refresher: Refresher::Us, peer_supports: false }));
    }

    // Section 7.2: the 2xx's refresher decides; none means no timer.
    #[test]
    fn the_uac_follows_the_2xx() {
        let ok = |extra: &str| msg("SIP/2.0 200 OK", extra);
        assert_eq!(uac_negotiate(&ok("Session-Expires: 90;refresher=uac\r\nRequire: timer\r\n")).map(|t| t.refresher), Some(Refresher::Us));
        assert_eq!(uac_negotiate(&ok("Session-Expires: 90;refresher=uas\r\n")).map(|t| t.refresher), Some(Refresher::Peer));
        assert_eq!(uac_negotiate(&ok("")), None);
    }

    // Section 10: refresh at half the interval; give up a third (at most 32 s) early.
    #[test]
    fn refresh_and_expiry_times() {
        let t = SessionTimer { interval_s: 90, refresher: Refresher::Us, peer_supports: true };
        assert_eq!(t.refresh_after(), Duration::from_secs(45));
        assert_eq!(t.expire_after(), Duration::from_secs(60));
        let long = SessionTimer { interval_s: 1800, ..t };
        assert_eq!(long.expire_after(), Duration::from_secs(1768));
    }

    // The refresher parameter is named from the INVITE's roles (section 4).
    #[test]
    fn refresher_parameter_names_the_invites_roles() {
        let peer = SessionTimer { interval_s: 90, refresher: Refresher::Peer, peer_supports: true };
        assert_eq!(peer.header(true), "90;refresher=uac");
        assert_eq!(peer.header(false), "90;refresher=uas");
        let us = SessionTimer { refresher: Refresher::Us, ..peer };
        assert_eq!(us.header(true), "90;refresher=uas");
        assert_eq!(us.header(false), "90;refresher=uac");
    }

    #[test]
    fn a_422_raises_the_interval() {
        let r = msg("SIP/2.0 422 Session Interval Too Small", "Min-SE: 300\r\n");
        assert_eq!(min_se_of(&r, 90), Some(300));
    }
}
