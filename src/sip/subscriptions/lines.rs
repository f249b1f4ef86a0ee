//! What each extension's line is doing, as the call events tell it (every node's calls:
//! the events come from the shared stream). Feeds the dialog package (RFC 4235) and
//! presence. Pure: events in, changed extensions out.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

/// RFC 4235 section 3.7.1: the states a dialog of the package goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogState {
    /// Ringing (or being set up): the "early" state of RFC 4235.
    Early,
    Confirmed,
}

impl DialogState {
    pub fn as_str(self) -> &'static str {
        match self {
            DialogState::Early => "early",
            DialogState::Confirmed => "confirmed",
        }
    }
}

/// RFC 4235 section 4.1.1: who sent the INVITE, from the watched party's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Initiator,
    Recipient,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Initiator => "initiator",
            Direction::Recipient => "recipient",
        }
    }
}

/// One call on one extension's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineCall {
    pub call_id: String,
    pub direction: Direction,
    pub state: DialogState,
    /// The other party's number.
    pub peer: String,
    /// The SIP dialog of the watched extension's ringing device (call id, its tag, ours),
    /// when known: a busy-lamp key names it in `Replaces` to pick the call up.
    pub sip: Option<SipDialog>,
}

/// A device's dialog identifiers as the device sees them (RFC 4235 section 4.1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipDialog {
    pub call_id: String,
    pub local_tag: String,
    pub remote_tag: String,
}

impl SipDialog {
    fn from_event(data: &Value) -> Option<SipDialog> {
        let d = data.get("dialog")?;
        let text = |name: &str| d.get(name).and_then(Value::as_str).map(str::to_owned);
        Some(SipDialog { call_id: text("call_id")?, local_tag: text("local_tag")?, remote_tag: text("remote_tag")? })
    }
}

/// Every extension's calls, by number then call id, and the numbers each call is on (so
/// that ending a call touches its own lines, not every line).
#[derive(Debug, Default)]
pub struct Lines {
    by_number: HashMap<String, BTreeMap<String, LineCall>>,
    by_call: HashMap<String, BTreeSet<String>>,
}

impl Lines {
    /// The calls on `number`'s line, oldest call id first.
    pub fn of(&self, number: &str) -> Vec<LineCall> {
        self.by_number.get(number).map(|m| m.values().cloned().collect()).unwrap_or_default()
    }

    /// Whether `number` is in a call or being rung.
    pub fn busy(&self, number: &str) -> bool {
        self.by_number.get(number).is_some_and(|m| !m.is_empty())
    }

    /// Applies one call event (`kind`, its data); `is_extension` tells which numbers are
    /// extensions (others have no line). Returns the numbers whose line changed.
    pub fn apply(&mut self, kind: &str, data: &Value, is_extension: impl Fn(&str) -> bool) -> BTreeSet<String> {
        let text = |name: &str| data.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
        let call = text("call_id");
        let (caller, dialed) = (text("caller"), text("dialed"));
        let mut changed = BTreeSet::new();
        if call.is_empty() {
            return changed;
        }
        let set_with = |lines: &mut Lines, changed: &mut BTreeSet<String>, number: &str, direction: Direction, state: DialogState, peer: &str, sip: Option<SipDialog>| {
            if number.is_empty() || !is_extension(number) {
                return;
            }
            let line = lines.by_number.entry(number.to_owned()).or_default();
            // The device's dialog stays the same once known (early, then confirmed).
            let sip = sip.or_else(|| line.get(&call).and_then(|c| c.sip.clone()));
            let entry = LineCall { call_id: call.clone(), direction, state, peer: peer.to_owned(), sip };
            if line.get(&call) != Some(&entry) {
                line.insert(call.clone(), entry);
                lines.by_call.entry(call.clone()).or_default().insert(number.to_owned());
                changed.insert(number.to_owned());
            }
        };
        let set = |lines: &mut Lines, changed: &mut BTreeSet<String>, number: &str, direction: Direction, state: DialogState, peer: &str| {
            set_with(lines, changed, number, direction, state, peer, None)
        };
        match kind {
            // The callee's line is early once a device of it rings (`call.ringing`): a call
            // to a number that never rings (busy, do-not-disturb) never lights its lamp.
            "call.created" => set(self, &mut changed, &caller, Direction::Initiator, DialogState::Early, &dialed),
            "call.ringing" => set_with(self, &mut changed, &text("callee"), Direction::Recipient, DialogState::Early, &caller, SipDialog::from_event(data)),
            "call.forwarded" => {
                let from = text("from");
                if self.drop_call(&from, &call) {
                    changed.insert(from);
                }
                set(self, &mut changed, &text("to"), Direction::Recipient, DialogState::Early, &caller);
            }
            "call.answered" => {
                let callee = text("callee");
                // Everyone else rung for this call stops ringing.
                for number in self.numbers_in(&call) {
                    if number != caller && number != callee && self.drop_call(&number, &call) {
                        changed.insert(number);
                    }
                }
                set(self, &mut changed, &caller, Direction::Initiator, DialogState::Confirmed, &callee);
                set(self, &mut changed, &callee, Direction::Recipient, DialogState::Confirmed, &caller);
            }
            // The transferor left the call.
            "call.transferred" => {
                let transferor = text("transferor");
                if self.drop_call(&transferor, &call) {
                    changed.insert(transferor);
                }
            }
            // A parked call lights its slot's lamp until it leaves the slot.
            "call.parked" => set(self, &mut changed, &text("slot"), Direction::Recipient, DialogState::Confirmed, &text("parked")),
            "call.unparked" => {
                let slot = text("slot");
                if self.drop_call(&slot, &call) {
                    changed.insert(slot);
                }
            }
            "call.ended" => {
                for number in self.numbers_in(&call) {
                    if self.drop_call(&number, &call) {
                        changed.insert(number);
                    }
                }
            }
            _ => {}
        }
        changed
    }

    fn numbers_in(&self, call: &str) -> Vec<String> {
        self.by_call.get(call).map(|n| n.iter().cloned().collect()).unwrap_or_default()
    }

    fn drop_call(&mut self, number: &str, call: &str) -> bool {
        let Some(line) = self.by_number.get_mut(number) else { return false };
        let dropped = line.remove(call).is_some();
        if line.is_empty() {
            self.by_number.remove(number);
        }
        if let Some(numbers) = self.by_call.get_mut(call) {
            numbers.remove(number);
            if numbers.is_empty() {
                self.by_call.remove(call);
            }
        }
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ext(n: &str) -> bool {
        n.starts_with("10")
    }

    #[test]
    fn a_call_rings_is_answered_and_ends() {
        let mut lines = Lines::default();
        let call = json!({"call_id": "c1", "caller": "1001", "dialed": "1002"});
        let changed = lines.apply("call.created", &call, ext);
        assert_eq!(changed, ["1001".to_owned()].into(), "the callee's lamp waits for its phone to ring");
        let mut ringing = call.clone();
        ringing["callee"] = json!("1002");
        ringing["dialog"] = json!({"call_id": "leg1", "local_tag": "t1", "remote_tag": "t2"});
        assert_eq!(lines.apply("call.ringing", &ringing, ext), ["1002".to_owned()].into());
        assert_eq!(lines.of("1002")[0].state, DialogState::Early);
        assert_eq!(lines.of("1002")[0].direction, Direction::Recipient);
        let mut answered = call.clone();
        answered["callee"] = json!("1002");
        lines.apply("call.answered", &answered, ext);
        assert_eq!(lines.of("1001")[0], LineCall { call_id: "c1".into(), direction: Direction::Initiator, state: DialogState::Confirmed, peer: "1002".into(), sip: None });
        // The device's dialog is still named once confirmed.
        assert_eq!(lines.of("1002")[0].sip.as_ref().map(|d| d.call_id.as_str()), Some("leg1"));
        let changed = lines.apply("call.ended", &call, ext);
        assert_eq!(changed.len(), 2);
        assert!(!lines.busy("1001") && !lines.busy("1002"));
        assert!(lines.by_call.is_empty() && lines.by_number.is_empty(), "an ended call leaves nothing behind");
    }

    #[test]
    fn a_parked_call_lights_its_slot_until_it_leaves() {
        let mut lines = Lines::default();
        let slot = |n: &str| n.starts_with("10") || n == "701";
        let call = json!({"call_id": "c1", "caller": "1001", "dialed": "1002"});
        lines.apply("call.created", &call, slot);
        let mut answered = call.clone();
        answered["callee"] = json!("1002");
        lines.apply("call.answered", &answered, slot);
        let mut transferred = call.clone();
        transferred["transferor"] = json!("1002");
        assert!(lines.apply("call.transferred", &transferred, slot).contains("1002"));
        let mut parked = call.clone();
        parked["slot"] = json!("701");
        parked["parked"] = json!("1001");
        assert_eq!(lines.apply("call.parked", &parked, slot), ["701".to_owned()].into());
        assert_eq!(lines.of("701")[0].state, DialogState::Confirmed);
        assert_eq!(lines.apply("call.unparked", &parked, slot), ["701".to_owned()].into());
        assert!(!lines.busy("701"));
    }

    #[test]
    fn forwarding_moves_the_ringing_and_answering_clears_the_other_members() {
        let mut lines = Lines::default();
        let call = json!({"call_id": "c1", "caller": "1001", "dialed": "1002"});
        lines.apply("call.created", &call, ext);
        let mut first = call.clone();
        first["callee"] = json!("1002");
        lines.apply("call.ringing", &first, ext);
        let mut fwd = call.clone();
        fwd["from"] = json!("1002");
        fwd["to"] = json!("1003");
        assert_eq!(lines.apply("call.forwarded", &fwd, ext), ["1002".to_owned(), "1003".to_owned()].into());
        assert!(!lines.busy("1002") && lines.busy("1003"));
        let mut ringing = call.clone();
        ringing["callee"] = json!("1004");
        ringing["dialog"] = json!({"call_id": "leg1", "local_tag": "t1", "remote_tag": "t2"});
        lines.apply("call.ringing", &ringing, ext);
        assert_eq!(lines.of("1004")[0].sip.as_ref().map(|d| d.call_id.as_str()), Some("leg1"));
        let mut answered = call.clone();
        answered["callee"] = json!("1004");
        let changed = lines.apply("call.answered", &answered, ext);
        assert!(changed.contains("1003") && !lines.busy("1003"), "the other rung phone stops");
        assert_eq!(lines.of("1004")[0].state, DialogState::Confirmed);
    }

    #[test]
    fn numbers_that_are_not_extensions_have_no_line() {
        let mut lines = Lines::default();
        lines.apply("call.created", &json!({"call_id": "c1", "caller": "1001", "dialed": "004930123"}), ext);
        assert!(lines.busy("1001") && !lines.busy("004930123"));
    }
}
