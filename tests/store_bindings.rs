//! The registrar's batched writes to the store, on SQLite and on PostgreSQL: a batch that
//! mixes first registrations, refreshes of one binding, removals and expiries ends in the
//! state its writes give in order, with one numbered event per change, in order.

mod common;

use callplane::events::types::{ConfigChangedData, EventPayload};
use callplane::events::Draft;
use callplane::model::binding::{Binding, BindingTransport};
use callplane::store::bindings::BindingWrite;
use callplane::store::Store;
use chrono::{Duration, Utc};

fn binding(id: &str, aor: &str, contact: &str, expires_in: i64) -> Binding {
    let now = Utc::now();
    Binding {
        id: id.into(),
        aor: aor.into(),
        extension_id: format!("ext-{aor}"),
        contact: contact.into(),
        instance: None,
        source: "127.0.0.1:5090".into(),
        transport: BindingTransport::Udp,
        user_agent: None,
        path: Vec::new(),
        call_id: format!("call-{id}"),
        cseq: 1,
        expires_at: now + Duration::seconds(expires_in),
        registered_at: now,
        refreshed_at: now,
        node: None,
    }
}

/// An event naming the write it tells of.
fn told(what: &str) -> Option<Draft> {
    Some(Draft::new(EventPayload::ConfigChanged(ConfigChangedData { resource: "binding".into(), id: what.into(), action: "test".into(), snapshot_version: 0 })))
}

async fn a_mixed_batch_ends_as_its_writes_say(store: Store) {
    let now_ms = Utc::now().timestamp_millis();
    // Already stored: one binding that will be removed, one that will be tried for expiry
    // although it is still live (a refresh on another node), one that has expired.
    store.upsert_binding(&binding("gone", "201", "sip:201@10.0.0.9", 3600)).await.expect("stored");
    store.upsert_binding(&binding("live", "202", "sip:202@10.0.0.9", 3600)).await.expect("stored");
    store.upsert_binding(&binding("lapsed", "203", "sip:203@10.0.0.9", -5)).await.expect("stored");

    let writes = vec![
        (BindingWrite::Upsert(binding("a", "100", "sip:100@10.0.0.1", 60)), told("a created")),
        (BindingWrite::Upsert(binding("b", "101", "sip:101@10.0.0.2", 60)), told("b created")),
        // The same binding twice in one run of upserts: the later one wins.
        (BindingWrite::Upsert(binding("a", "100", "sip:100@10.0.0.3", 120)), told("a refreshed")),
        (BindingWrite::Delete("gone".into()), told("gone removed")),
        // Created again after its removal, in the same batch.
        (BindingWrite::Upsert(binding("gone", "201", "sip:201@10.0.0.4", 60)), told("gone created")),
        (BindingWrite::Expire { id: "live".into(), now_ms }, told("live expired")),
        (BindingWrite::Expire { id: "lapsed".into(), now_ms }, told("lapsed expired")),
        (BindingWrite::Upsert(binding("b", "101", "sip:101@10.0.0.5", 60)), told("b refreshed")),
    ];
    let before = store.last_event_seq().await.expect("seq");
    let events = store.write_bindings(&writes).await.expect("written");

    // Every write changed something but the expiry of a live binding.
    let ids: Vec<&str> = events.iter().filter_map(|e| e.data["id"].as_str()).collect();
    assert_eq!(ids, ["a created", "b created", "a refreshed", "gone removed", "gone created", "lapsed expired", "b refreshed"]);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (before + 1..=before + 7).collect::<Vec<_>>(), "numbered in order, gap-free");
    assert_eq!(store.last_event_seq().await.expect("seq"), before + 7, "the events are in the log");

    let mut stored = store.load_live_bindings(Utc::now().timestamp_millis()).await.expect("loaded");
    stored.sort_by(|x, y| x.id.cmp(&y.id));
    let contacts: Vec<(&str, &str)> = stored.iter().map(|b| (b.id.as_str(), b.contact.as_str())).collect();
    assert_eq!(contacts, [("a", "sip:100@10.0.0.3"), ("b", "sip:101@10.0.0.5"), ("gone", "sip:201@10.0.0.4"), ("live", "sip:202@10.0.0.9")]);
    assert!(store.load_binding("lapsed", 0).await.expect("read").is_none(), "the lapsed binding was deleted");
}

/// More first registrations than one statement holds: all are written.
async fn a_burst_larger_than_a_statement_is_written_whole(store: Store) {
    let writes: Vec<(BindingWrite, Option<Draft>)> =
        (0..250).map(|i| (BindingWrite::Upsert(binding(&format!("burst-{i}"), &format!("{}", 5000 + i), &format!("sip:{}@10.1.0.1", 5000 + i), 60)), told("created"))).collect();
    let events = store.write_bindings(&writes).await.expect("written");
    assert_eq!(events.len(), 250);
    let stored = store.load_live_bindings(Utc::now().timestamp_millis()).await.expect("loaded");
    assert_eq!(stored.iter().filter(|b| b.id.starts_with("burst-")).count(), 250);
}

async fn sqlite_store() -> (Store, tempfile::TempDir) {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}/bindings.db?mode=rwc", dir.path().display());
    (Store::open(&url).await.expect("the store"), dir)
}

#[tokio::test]
async fn sqlite_applies_a_mixed_batch_in_order() {
    let (store, _dir) = sqlite_store().await;
    a_mixed_batch_ends_as_its_writes_say(store.clone()).await;
    a_burst_larger_than_a_statement_is_written_whole(store).await;
}

#[tokio::test]
#[cfg_attr(not(callplane_postgres), ignore = "PostgreSQL: run with CALLPLANE_REQUIRE_POSTGRES=1 and CALLPLANE_TEST_POSTGRES_URL (scripts/test does)")]
async fn postgres_applies_a_mixed_batch_in_order() {
    let Some(url) = common::postgres_database().await else { return };
    let store = Store::open(&url).await.expect("the store");
    a_mixed_batch_ends_as_its_writes_say(store.clone()).await;
    a_burst_larger_than_a_statement_is_written_whole(store).await;
}
