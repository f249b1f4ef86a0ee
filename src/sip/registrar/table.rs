//! The in-memory registration table read on the hot path. One `DashMap` entry per address
//! of record, so updates of different extensions never contend.

use crate::events::EventPayload;
use crate::events::types::RegistrationData;
use chrono::{DateTime, Duration, Utc};
use dashmap::DashMap;

use super::binding::Binding;

/// One contact of a REGISTER, with its effective expiry.
#[derive(Debug, Clone)]
pub struct ContactRequest {
    pub contact: String,
    pub instance: Option<String>,
    pub expires: u32,
}

/// What the REGISTER carried besides contacts.
#[derive(Debug, Clone)]
pub struct RegisterContext {
    pub aor: String,
    pub extension_id: String,
    pub max_contacts: usize,
    pub call_id: String,
    pub cseq: u32,
    pub source: String,
    pub transport: super::binding::BindingTransport,
    pub user_agent: Option<String>,
    /// The REGISTER's Path (RFC 3327), in order.
    pub path: Vec<String>,
    /// The node taking the REGISTER.
    pub node: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    /// A refresh that changed where or how the device is reached (contact, source address,
    /// transport, user agent, Path or node).
    Refreshed,
    /// A refresh that only moved the expiry (and Call-ID/CSeq): the registrar writes and
    /// announces it only when the stored expiry needs it (`persist.rs`).
    Extended,
    Removed,
    Expired,
}

impl Change {
    pub fn event(self, data: RegistrationData) -> EventPayload {
        match self {
            Change::Created => EventPayload::RegistrationCreated(data),
            Change::Refreshed | Change::Extended => EventPayload::RegistrationRefreshed(data),
            Change::Removed => EventPayload::RegistrationRemoved(data),
            Change::Expired => EventPayload::RegistrationExpired(data),
        }
    }

    pub fn event_type(self) -> &'static str {
        match self {
            Change::Created => "registration.created",
            Change::Refreshed | Change::Extended => "registration.refreshed",
            Change::Removed => "registration.removed",
            Change::Expired => "registration.expired",
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegisterError {
    /// RFC 3261 section 10.3 step 7: same Call-ID, CSeq not higher.
    #[error("out-of-order REGISTER for this Call-ID")]
    OutOfOrder,
}

#[derive(Default)]
pub struct BindingTable {
    by_aor: DashMap<String, Vec<Binding>>,
}

impl BindingTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bindings of one address of record that have not expired.
    pub fn lookup(&self, aor: &str, now: DateTime<Utc>) -> Vec<Binding> {
        self.by_aor
            .get(aor)
            .map(|v| v.iter().filter(|b| b.expires_at > now).cloned().collect())
            .unwrap_or_default()
    }

    /// Whether binding `id` of `aor` is still held.
    pub fn holds(&self, aor: &str, id: &str) -> bool {
        self.by_aor.get(aor).is_some_and(|v| v.iter().any(|b| b.id == id))
    }

    pub fn all(&self) -> Vec<Binding> {
        let mut all: Vec<Binding> = self.by_aor.iter().flat_map(|e| e.value().clone()).collect();
        all.sort_by(|a, b| a.aor.cmp(&b.aor).then(a.registered_at.cmp(&b.registered_at)));
        all
    }

    /// Bindings held (including ones expiring before the next sweep).
    pub fn len(&self) -> usize {
        self.by_aor.iter().map(|e| e.value().len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn insert_loaded(&self, binding: Binding) {
        self.by_aor.entry(binding.aor.clone()).or_default().push(binding);
    }

    /// Removes binding `id` if `theirs` says it is not this node's.
    pub fn remove_if(&self, id: &str, theirs: impl Fn(&Binding) -> bool) -> bool {
        for mut entry in self.by_aor.iter_mut() {
            if let Some(i) = entry.value().iter().position(|b| b.id == id) {
                if theirs(&entry.value()[i]) {
                    entry.value_mut().remove(i);
                    return true;
                }
                return false;
            }
        }
        false
    }

    /// Puts in (or replaces) a binding another node holds, or removes binding `id` when
    /// `binding` is `None`. Returns whether the table changed.
    pub fn adopt(&self, id: &str, binding: Option<Binding>) -> bool {
        let removed = self.remove(id).is_some();
        match binding {
            Some(b) => {
                self.insert_loaded(b);
                true
            }
            None => removed,
        }
    }

    /// Applies the contacts of one REGISTER (RFC 3261 section 10.3 steps 6-8) and returns
    /// the changes made. `expires == 0` removes the device's binding; a new device beyond
    /// `max_contacts` replaces the binding that expires first.
    pub fn register(
        &self,
        ctx: &RegisterContext,
        contacts: &[ContactRequest],
        now: DateTime<Utc>,
    ) -> Result<Vec<(Change, Binding)>, RegisterError> {
        let mut entry = self.by_aor.entry(ctx.aor.clone()).or_default();
        let bindings = entry.value_mut();
        bindings.retain(|b| b.expires_at > now);
        for c in contacts {
            if let Some(b) = bindings.iter().find(|b| b.same_device(&c.contact, c.instance.as_deref())) {
                if b.call_id == ctx.call_id && ctx.cseq <= b.cseq {
                    return Err(RegisterError::OutOfOrder);
                }
            }
        }
        let mut changes = Vec::new();
        for c in contacts {
            let existing = bindings.iter().position(|b| b.same_device(&c.contact, c.instance.as_deref()));
            match (existing, c.expires) {
                (Some(i), 0) => changes.push((Change::Removed, bindings.remove(i))),
                (None, 0) => {}
                (Some(i), secs) => {
                    let b = &mut bindings[i];
                    let moved = b.contact != c.contact
                        || b.source != ctx.source
                        || b.transport != ctx.transport
                        || b.user_agent != ctx.user_agent
                        || b.path != ctx.path
                        || b.node != ctx.node;
                    b.contact = c.contact.clone();
                    b.source = ctx.source.clone();
                    b.transport = ctx.transport;
                    b.user_agent = ctx.user_agent.clone();
                    b.path = ctx.path.clone();
                    b.call_id = ctx.call_id.clone();
                    b.cseq = ctx.cseq;
                    b.expires_at = now + Duration::seconds(i64::from(secs));
                    b.refreshed_at = now;
                    b.node = ctx.node.clone();
                    changes.push((if moved { Change::Refreshed } else { Change::Extended }, b.clone()));
                }
                (None, secs) => {
                    if bindings.len() >= ctx.max_contacts.max(1) {
                        if let Some(i) = bindings.iter().enumerate().min_by_key(|(_, b)| b.expires_at).map(|(i, _)| i) {
                            changes.push((Change::Removed, bindings.remove(i)));
                        }
                    }
                    let b = Binding {
                        id: uuid::Uuid::now_v7().to_string(),
                        aor: ctx.aor.clone(),
                        extension_id: ctx.extension_id.clone(),
                        contact: c.contact.clone(),
                        instance: c.instance.clone(),
                        source: ctx.source.clone(),
                        transport: ctx.transport,
                        user_agent: ctx.user_agent.clone(),
                        path: ctx.path.clone(),
                        call_id: ctx.call_id.clone(),
                        cseq: ctx.cseq,
                        expires_at: now + Duration::seconds(i64::from(secs)),
                        registered_at: now,
                        refreshed_at: now,
                        node: ctx.node.clone(),
                    };
                    bindings.push(b.clone());
                    changes.push((Change::Created, b));
                }
            }
        }
        Ok(changes)
    }

    /// `Contact: *` with `Expires: 0`: removes every binding of the AOR.
    pub fn remove_all(&self, aor: &str) -> Vec<(Change, Binding)> {
        self.by_aor
            .remove(aor)
            .map(|(_, v)| v.into_iter().map(|b| (Change::Removed, b)).collect())
            .unwrap_or_default()
    }

    pub fn remove(&self, id: &str) -> Option<Binding> {
        for mut entry in self.by_aor.iter_mut() {
            if let Some(i) = entry.value().iter().position(|b| b.id == id) {
                return Some(entry.value_mut().remove(i));
            }
        }
        None
    }

    /// Removes and returns every binding that expired by `now`.
    pub fn take_expired(&self, now: DateTime<Utc>) -> Vec<Binding> {
        let mut expired = Vec::new();
        for mut entry in self.by_aor.iter_mut() {
            let v = entry.value_mut();
            if v.iter().any(|b| b.expires_at <= now) {
                let (gone, kept): (Vec<Binding>, Vec<Binding>) = std::mem::take(v).into_iter().partition(|b| b.expires_at <= now);
                *v = kept;
                expired.extend(gone);
            }
        }
        self.by_aor.retain(|_, v| !v.is_empty());
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::registrar::binding::BindingTransport;

    fn ctx(call_id: &str, cseq: u32) -> RegisterContext {
        RegisterContext {
            aor: "1001".into(),
            extension_id: "e1".into(),
            max_contacts: 2,
            call_id: call_id.into(),
            cseq,
            source: "192.0.2.1:5060".into(),
            transport: BindingTransport::Udp,
            user_agent: None,
            path: vec![],
            node: None,
        }
    }

    fn contact(uri: &str, expires: u32) -> ContactRequest {
        ContactRequest { contact: uri.into(), instance: None, expires }
    }

    #[test]
    fn refresh_replaces_and_order_is_enforced() {
        let t = BindingTable::new();
        let now = Utc::now();
        let c = t.register(&ctx("a", 1), &[contact("sip:1001@h1", 60)], now).expect("ok");
        assert_eq!(c[0].0, Change::Created);
        let c = t.register(&ctx("a", 2), &[contact("sip:1001@h1", 60)], now).expect("ok");
        assert_eq!(c[0].0, Change::Extended, "only the expiry moved");
        assert_eq!(t.lookup("1001", now).len(), 1);
        let mut moved = ctx("a", 3);
        moved.source = "192.0.2.1:40000".into();
        let c = t.register(&moved, &[contact("sip:1001@h1", 60)], now).expect("ok");
        assert_eq!(c[0].0, Change::Refreshed, "the NAT mapping moved");
        assert_eq!(t.register(&ctx("a", 3), &[contact("sip:1001@h1", 60)], now), Err(RegisterError::OutOfOrder));
    }

    #[test]
    fn max_contacts_evicts_the_soonest_expiring() {
        let t = BindingTable::new();
        let now = Utc::now();
        t.register(&ctx("a", 1), &[contact("sip:1001@h1", 30)], now).expect("ok");
        t.register(&ctx("b", 1), &[contact("sip:1001@h2", 60)], now).expect("ok");
        let c = t.register(&ctx("c", 1), &[contact("sip:1001@h3", 60)], now).expect("ok");
        assert_eq!(c[0].0, Change::Removed);
        assert_eq!(c[0].1.contact, "sip:1001@h1");
        let left: Vec<String> = t.lookup("1001", now).into_iter().map(|b| b.contact).collect();
        assert_eq!(left, ["sip:1001@h2", "sip:1001@h3"]);
    }

    #[test]
    fn expiry() {
        let t = BindingTable::new();
        let now = Utc::now();
        t.register(&ctx("a", 1), &[contact("sip:1001@h1", 1)], now).expect("ok");
        assert!(t.take_expired(now).is_empty());
        assert_eq!(t.take_expired(now + Duration::seconds(2)).len(), 1);
        assert!(t.lookup("1001", now).is_empty());
    }
}
