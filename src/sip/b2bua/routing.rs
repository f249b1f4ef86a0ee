//! The routing decision of a call, as pure functions of the configuration snapshot and
//! what the call has seen so far: where a number leads (forwarding, ring groups, the dial
//! plan), what follows an unanswered ring, which final answer the caller gets, and when
//! a trunk route fails over to the next. The call task performs the decisions.

use std::collections::HashSet;
use std::time::Duration;

use crate::events::types::ForwardReason;
use crate::model::ResourceKind;
use crate::model::extension::Forwarding;
use crate::model::ring_group::{RingGroup, RingStrategy};
use crate::model::values::{ForwardTarget, Number};
use crate::snapshot::Snapshot;

/// Ringing time when the extension has no no-answer forwarding.
pub const DEFAULT_RING_TIMEOUT: Duration = Duration::from_secs(60);

/// How one round of ringing ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForkEnd {
    Answered(usize),
    Busy,
    NoAnswer,
    /// A 3xx named another number.
    Redirect(String),
    Failed(u16, String),
    Cancelled,
}

/// How the whole ringing of a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingEnd {
    Answered(usize),
    Failed(u16, String),
    Cancelled,
    /// Callplane itself answered and the call is over (a voicemail box took a message).
    Handled(crate::model::cdr::Ending),
}

/// Where a number leads now.
#[derive(Debug, Clone)]
pub enum Step {
    /// Forwarding moves the call on before anything rings.
    Forward { to: String, reason: ForwardReason },
    /// Ring the extension's devices for `timeout`; `forwarding` decides what follows.
    Ring { timeout: Duration, forwarding: Forwarding },
    /// Ring a ring group's members.
    Group(std::sync::Arc<RingGroup>),
    /// Callplane answers with an IVR menu.
    Menu(std::sync::Arc<crate::model::ivr_menu::IvrMenu>),
    /// Not an internal number: the dial plan's routes decide.
    Routes,
    Fail(u16, String),
}

/// What follows a round of ringing (or no device to ring).
#[derive(Debug, Clone, PartialEq)]
pub enum Next {
    Forward { to: String, reason: ForwardReason },
    End(RingEnd),
}

/// The target a forwarding to `voicemail` leads to: `voicemail:<number>`, the box of
/// extension `number` (also what `call.forwarded` names as `to`).
pub const VOICEMAIL_TARGET: &str = "voicemail:";

/// Where forwarding `to`, set on extension `owner`, sends the call.
pub fn forward_target(to: &ForwardTarget, owner: &str) -> String {
    match to {
        ForwardTarget::Number(n) => n.to_string(),
        ForwardTarget::Voicemail => format!("{VOICEMAIL_TARGET}{owner}"),
    }
}

/// The target of the voicemail feature code: extension `<number>` listens to its box.
pub const LISTEN_TARGET: &str = "listen:";

/// The extension listening to its box through `target`, if it is that.
pub fn listening_box(target: &str) -> Option<&str> {
    target.strip_prefix(LISTEN_TARGET)
}

/// The extension whose voicemail box `target` is, if it is one.
pub fn voicemail_box(target: &str) -> Option<&str> {
    target.strip_prefix(VOICEMAIL_TARGET)
}

/// The voicemail box a number dialled by the deposit feature code (`*98` + extension)
/// leads to, as a target (`voicemail:<extension>`): a transfer, a ring group's fallback or
/// forwarding reach a box this way.
pub fn deposit_target(codes: &crate::model::feature_codes::FeatureCodes, target: &str) -> Option<String> {
    match codes.classify(target) {
        Some(crate::model::feature_codes::Feature::VoicemailDeposit(n)) => Some(format!("{VOICEMAIL_TARGET}{n}")),
        _ => None,
    }
}

/// A forwarding chain that comes back to a number it visited is a loop (482); one longer
/// than `max_hops` is cut (483, RFC 3261 section 16.3 step 3 in spirit). `visited` gains
/// `target`.
pub fn hop_allowed(visited: &mut HashSet<String>, target: &str, hops: usize, max_hops: u32) -> Result<(), RingEnd> {
    if !visited.insert(target.to_owned()) {
        return Err(RingEnd::Failed(482, format!("Loop Detected (forwarding returns to {target})")));
    }
    if hops > max_hops as usize {
        return Err(RingEnd::Failed(483, "Too Many Hops (forwarding chain too long)".into()));
    }
    Ok(())
}

/// Where `target` leads. `active` is how many live calls it has; `in_this_call` is true
/// when this call already counts it (a forwarding chain passing through again).
pub fn step(snapshot: &Snapshot, target: &str, active: usize, in_this_call: bool) -> Step {
    let Some(owner) = snapshot.numbers.get(target) else { return Step::Routes };
    match owner.kind {
        ResourceKind::RingGroup => match snapshot.ring_groups.get(&owner.id) {
            Some(g) if !g.enabled => Step::Fail(403, "Forbidden (ring group disabled)".into()),
            Some(g) => Step::Group(g.clone()),
            None => Step::Fail(404, "Not Found".into()),
        },
        ResourceKind::IvrMenu => match snapshot.ivr_menus.get(&owner.id) {
            Some(m) if !m.enabled => Step::Fail(403, "Forbidden (IVR menu disabled)".into()),
            Some(m) => Step::Menu(m.clone()),
            None => Step::Fail(404, "Not Found".into()),
        },
        ResourceKind::Extension => {
            let Some(ext) = snapshot.extensions.get(&owner.id) else { return Step::Fail(404, "Not Found".into()) };
            let e = &ext.extension;
            if !e.enabled {
                return Step::Fail(403, "Forbidden (extension disabled)".into());
            }
            let f = e.forwarding.clone();
            if let Some(to) = &f.unconditional {
                return Step::Forward { to: forward_target(to, target), reason: ForwardReason::Unconditional };
            }
            // Do-not-disturb: busy handling without ringing (forward-on-busy applies).
            if e.do_not_disturb && !in_this_call {
                return match &f.busy {
                    Some(to) => Step::Forward { to: forward_target(to, target), reason: ForwardReason::Busy },
                    None => Step::Fail(486, "Busy Here (do not disturb)".into()),
                };
            }
            let at_limit = e.max_calls.is_some_and(|m| active >= m as usize);
            if at_limit && !in_this_call {
                return match &f.busy {
                    Some(to) => Step::Forward { to: forward_target(to, target), reason: ForwardReason::Busy },
                    None => Step::Fail(486, "Busy Here (call limit)".into()),
                };
            }
            let timeout = if f.no_answer.is_some() { Duration::from_secs(u64::from(f.no_answer_timeout_s)) } else { DEFAULT_RING_TIMEOUT };
            Step::Ring { timeout, forwarding: f }
        }
        _ => Step::Fail(404, "Not Found".into()),
    }
}

/// No device of extension `owner` is registered: forward-on-unavailable, else 480.
pub fn unavailable(f: &Forwarding, owner: &str) -> Next {
    match &f.unavailable {
        Some(to) => Next::Forward { to: forward_target(to, owner), reason: ForwardReason::Unavailable },
        None => Next::End(RingEnd::Failed(480, "Temporarily Unavailable".into())),
    }
}

/// What follows ringing the devices of extension `owner`.
pub fn after_ring(f: &Forwarding, owner: &str, end: ForkEnd) -> Next {
    match end {
        ForkEnd::Answered(leg) => Next::End(RingEnd::Answered(leg)),
        ForkEnd::Cancelled => Next::End(RingEnd::Cancelled),
        ForkEnd::Redirect(to) => Next::Forward { to, reason: ForwardReason::Redirect },
        ForkEnd::Busy => match &f.busy {
            Some(to) => Next::Forward { to: forward_target(to, owner), reason: ForwardReason::Busy },
            None => Next::End(RingEnd::Failed(486, "Busy Here".into())),
        },
        ForkEnd::NoAnswer => match &f.no_answer {
            Some(to) => Next::Forward { to: forward_target(to, owner), reason: ForwardReason::NoAnswer },
            None => Next::End(RingEnd::Failed(480, "Temporarily Unavailable (no answer)".into())),
        },
        ForkEnd::Failed(code, reason) => Next::End(RingEnd::Failed(code, reason)),
    }
}

/// Nobody in a ring group answered: its fallback number, else its reject code (480).
pub fn group_exhausted(g: &RingGroup) -> Next {
    match &g.fallback {
        // `voicemail:<extension>` is also the box's internal target.
        Some(to) => Next::Forward { to: to.to_string(), reason: ForwardReason::Fallback },
        None => {
            let code = g.reject_code.unwrap_or(480);
            Next::End(RingEnd::Failed(code, reason_for(code).into()))
        }
    }
}

/// The rounds of a ring group: every member at once for the group's timeout
/// (simultaneous), or one member at a time for `member_timeout_s` each, in list order
/// (sequential) or starting at `rr_start` (round robin).
pub fn group_rounds(g: &RingGroup, rr_start: usize) -> Vec<(Vec<String>, Duration)> {
    let total = Duration::from_secs(u64::from(g.timeout_s));
    let n = g.members.len();
    match g.strategy {
        RingStrategy::Simultaneous => vec![(g.members.iter().map(Number::to_string).collect(), total)],
        RingStrategy::Sequential | RingStrategy::RoundRobin => {
            let start = if g.strategy == RingStrategy::RoundRobin && n > 0 { rr_start % n } else { 0 };
            let each = Duration::from_secs(u64::from(g.member_timeout_s));
            (0..n).map(|i| (vec![g.members[(start + i) % n].to_string()], each)).collect()
        }
    }
}

/// The final answer of a fork whose every branch failed. All busy (486/600): busy, so
/// forward-on-busy applies. Otherwise the most telling answer, in the spirit of RFC 3261
/// section 16.7 step 6: busy over decline over other failures over "unavailable" ones
/// (480, 408), which say least.
pub fn fork_failed(finals: &[u16]) -> ForkEnd {
    if !finals.is_empty() && finals.iter().all(|c| *c == 486 || *c == 600) {
        return ForkEnd::Busy;
    }
    let best = finals
        .iter()
        .copied()
        .min_by_key(|c| match c {
            486 | 600 => 0,
            603 => 1,
            480 | 408 => 3,
            _ => 2,
        })
        .unwrap_or(480);
    ForkEnd::Failed(best, reason_for(best).into())
}

/// What one trunk route's attempt means for the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrunkOutcome {
    /// The call's ringing ends here.
    Done(RingEnd),
    /// The trunk failed: the next route is tried; this is the answer if none is left.
    TryNext(RingEnd),
}

/// No answer, a timeout (408) or a server failure (5xx) say the trunk, not the number,
/// failed: the next route is tried. Anything else ends the call's ringing.
pub fn trunk_outcome(end: ForkEnd) -> TrunkOutcome {
    match end {
        ForkEnd::Answered(leg) => TrunkOutcome::Done(RingEnd::Answered(leg)),
        ForkEnd::Cancelled => TrunkOutcome::Done(RingEnd::Cancelled),
        ForkEnd::NoAnswer => TrunkOutcome::TryNext(RingEnd::Failed(480, "Temporarily Unavailable (no answer)".into())),
        ForkEnd::Failed(code, reason) if code == 408 || code >= 500 => TrunkOutcome::TryNext(RingEnd::Failed(code, reason)),
        ForkEnd::Failed(code, reason) => TrunkOutcome::Done(RingEnd::Failed(code, reason)),
        ForkEnd::Busy => TrunkOutcome::Done(RingEnd::Failed(486, "Busy Here".into())),
        ForkEnd::Redirect(_) => TrunkOutcome::Done(RingEnd::Failed(480, "Temporarily Unavailable (redirected by the carrier)".into())),
    }
}

pub fn reason_for(code: u16) -> &'static str {
    match code {
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        480 => "Temporarily Unavailable",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        500 => "Server Internal Error",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => "Call Failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: &str) -> ForwardTarget {
        n.parse().expect("a test number")
    }

    fn forwarding(busy: Option<&str>, no_answer: Option<&str>, unavailable: Option<&str>) -> Forwarding {
        Forwarding {
            unconditional: None,
            busy: busy.map(num),
            no_answer: no_answer.map(num),
            unavailable: unavailable.map(num),
            no_answer_timeout_s: 20,
        }
    }

    fn group(strategy: RingStrategy, fallback: Option<&str>) -> RingGroup {
        serde_json::from_value(serde_json::json!({
            "id": "g1", "number": "600", "name": "Sales", "members": ["1001", "1002", "1003"],
            "strategy": strategy, "timeout_s": 30, "member_timeout_s": 10, "fallback": fallback,
            "enabled": true, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
        }))
        .expect("ring group")
    }

    // Forwarding loops: a chain that returns to a number is cut with 482 (RFC 3261
    // section 8.2.2.2 names the code), one longer than the limit with 483.
    #[test]
    fn loops_and_long_chains_are_cut() {
        let mut visited = HashSet::new();
        assert!(hop_allowed(&mut visited, "1001", 0, 5).is_ok());
        assert!(hop_allowed(&mut visited, "1002", 1, 5).is_ok());
        assert!(matches!(hop_allowed(&mut visited, "1001", 2, 5), Err(RingEnd::Failed(482, _))));
        assert!(matches!(hop_allowed(&mut visited, "1003", 6, 5), Err(RingEnd::Failed(483, _))));
    }

    // Busy forwarding applies when every device said busy; without it the caller gets 486.
    #[test]
    fn busy_forwards_or_fails_486() {
        let f = forwarding(Some("1002"), None, None);
        assert_eq!(after_ring(&f, "1001", ForkEnd::Busy), Next::Forward { to: "1002".into(), reason: ForwardReason::Busy });
        assert!(matches!(after_ring(&forwarding(None, None, None), "1001", ForkEnd::Busy), Next::End(RingEnd::Failed(486, _))));
    }

    // No answer within the extension's timeout: forward-on-no-answer, else 480.
    #[test]
    fn no_answer_forwards_or_fails_480() {
        let f = forwarding(None, Some("700"), None);
        assert_eq!(after_ring(&f, "1001", ForkEnd::NoAnswer), Next::Forward { to: "700".into(), reason: ForwardReason::NoAnswer });
        assert!(matches!(after_ring(&forwarding(None, None, None), "1001", ForkEnd::NoAnswer), Next::End(RingEnd::Failed(480, _))));
    }

    // RFC 3261 section 8.1.3.4: a 3xx's Contact is a new target; it is followed as a
    // forwarding hop whatever the extension's own rules.
    #[test]
    fn redirects_are_followed_and_answers_end_ringing() {
        let f = forwarding(None, None, None);
        assert_eq!(after_ring(&f, "1001", ForkEnd::Redirect("1003".into())), Next::Forward { to: "1003".into(), reason: ForwardReason::Redirect });
        assert_eq!(after_ring(&f, "1001", ForkEnd::Answered(2)), Next::End(RingEnd::Answered(2)));
        assert_eq!(after_ring(&f, "1001", ForkEnd::Cancelled), Next::End(RingEnd::Cancelled));
    }

    // A forwarding field set to `voicemail` leads to the box of the extension it is set on.
    #[test]
    fn voicemail_forwarding_leads_to_the_owners_box() {
        let f = forwarding(None, Some("voicemail"), None);
        let next = after_ring(&f, "1002", ForkEnd::NoAnswer);
        assert_eq!(next, Next::Forward { to: "voicemail:1002".into(), reason: ForwardReason::NoAnswer });
        assert_eq!(voicemail_box("voicemail:1002"), Some("1002"));
        assert_eq!(voicemail_box("1002"), None);
    }

    #[test]
    fn unregistered_extensions_forward_on_unavailable_or_fail_480() {
        assert_eq!(unavailable(&forwarding(None, None, Some("1009")), "1001"), Next::Forward { to: "1009".into(), reason: ForwardReason::Unavailable });
        assert!(matches!(unavailable(&forwarding(None, None, None), "1001"), Next::End(RingEnd::Failed(480, _))));
    }

    // RFC 3261 section 16.7 step 6 in spirit: the most telling failure reaches the caller.
    #[test]
    fn the_most_telling_failure_wins() {
        assert_eq!(fork_failed(&[486, 600]), ForkEnd::Busy);
        assert!(matches!(fork_failed(&[480, 603]), ForkEnd::Failed(603, _)));
        assert!(matches!(fork_failed(&[408, 500]), ForkEnd::Failed(500, _)));
        assert!(matches!(fork_failed(&[486, 480]), ForkEnd::Failed(486, _)));
        assert!(matches!(fork_failed(&[]), ForkEnd::Failed(480, _)));
    }

    #[test]
    fn ring_group_rounds_follow_the_strategy() {
        let all = group_rounds(&group(RingStrategy::Simultaneous, None), 0);
        assert_eq!(all, vec![(vec!["1001".to_owned(), "1002".into(), "1003".into()], Duration::from_secs(30))]);
        let seq: Vec<String> = group_rounds(&group(RingStrategy::Sequential, None), 2).into_iter().map(|(m, _)| m[0].clone()).collect();
        assert_eq!(seq, vec!["1001", "1002", "1003"]);
        let rr: Vec<String> = group_rounds(&group(RingStrategy::RoundRobin, None), 4).into_iter().map(|(m, _)| m[0].clone()).collect();
        assert_eq!(rr, vec!["1002", "1003", "1001"]);
    }

    #[test]
    fn exhausted_groups_fall_back_or_reject() {
        assert_eq!(group_exhausted(&group(RingStrategy::Simultaneous, Some("1009"))), Next::Forward { to: "1009".into(), reason: ForwardReason::Fallback });
        assert!(matches!(group_exhausted(&group(RingStrategy::Simultaneous, None)), Next::End(RingEnd::Failed(480, _))));
        let boxed = group_exhausted(&group(RingStrategy::Simultaneous, Some("voicemail:1009")));
        assert_eq!(boxed, Next::Forward { to: "voicemail:1009".into(), reason: ForwardReason::Fallback });
        assert!(matches!(&boxed, Next::Forward { to, .. } if voicemail_box(to) == Some("1009")), "the fallback is the box's target");
    }

    #[test]
    fn the_deposit_code_leads_to_the_box() {
        let codes = crate::model::feature_codes::FeatureCodes::default();
        assert_eq!(deposit_target(&codes, "*981001").as_deref(), Some("voicemail:1001"));
        assert_eq!(deposit_target(&codes, "1001"), None);
        assert_eq!(deposit_target(&codes, "*97"), None);
    }

    // Trunk failover: only failures of the trunk (no answer, 408, 5xx) try the next route;
    // a busy or refused number does not.
    #[test]
    fn only_trunk_failures_fail_over() {
        assert!(matches!(trunk_outcome(ForkEnd::NoAnswer), TrunkOutcome::TryNext(RingEnd::Failed(480, _))));
        assert!(matches!(trunk_outcome(ForkEnd::Failed(503, String::new())), TrunkOutcome::TryNext(RingEnd::Failed(503, _))));
        assert!(matches!(trunk_outcome(ForkEnd::Failed(408, String::new())), TrunkOutcome::TryNext(_)));
        assert!(matches!(trunk_outcome(ForkEnd::Failed(404, String::new())), TrunkOutcome::Done(RingEnd::Failed(404, _))));
        assert!(matches!(trunk_outcome(ForkEnd::Busy), TrunkOutcome::Done(RingEnd::Failed(486, _))));
        assert_eq!(trunk_outcome(ForkEnd::Answered(1)), TrunkOutcome::Done(RingEnd::Answered(1)));
    }
}
