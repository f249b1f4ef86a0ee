//! Webhook delivery: every logged event a webhook's `event_types` match is queued in the
//! durable outbox (off the SIP path, once, by whichever node moves the queue cursor), then
//! POSTed by one node at a time as CloudEvents JSON, signed per the Standard
//! Webhooks convention, at least once, retried with exponential back-off and jitter until the
//! receiver answers 2xx or the delivery is older than the maximum age (then `failed`, and a
//! `webhook.failing` event).

use crate::events::EventPayload;
use crate::events::types::WebhookFailingData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use tokio::sync::broadcast;

use super::feed::Feed;
use super::{Event, EventBus};
use crate::snapshot::SnapshotHandle;
use crate::store::Store;

const MAX_BACKOFF: Duration = Duration::from_secs(3600);
const POLL: Duration = Duration::from_millis(200);

/// The HMAC key of a secret: `whsec_<base64>` decodes to its bytes; anything else is used as is.
pub fn key_of(secret: &str) -> Vec<u8> {
    secret
        .strip_prefix("whsec_")
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec())
}

/// `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key_of(secret)).unwrap_or_else(|_| {
        <Hmac<Sha256> as Mac>::new_from_slice(b"callplane").expect("HMAC takes any key length")
    });
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// Deliveries taken for attempts at a time (one after the other, oldest first).
const CLAIM: u32 = 20;
/// How long a node holds the deliveries it took before another node may try them: the
/// longest the attempts of one claim can take (each is bounded by the HTTP timeout). A
/// node found dead (silent for `NODE_SILENT`) gives them up at once.
const LEASE_MS: i64 = CLAIM as i64 * 10_000 + 60_000;
const NODE_SILENT: Duration = Duration::from_secs(15);
const QUEUE_BATCH: u32 = 1000;

/// The webhooks `e` goes to.
fn hooks_for(snap: &crate::snapshot::Snapshot, e: &Event) -> Vec<String> {
    snap.webhooks
        .values()
        .filter(|h| h.webhook.enabled)
        .filter(|h| {
            if e.kind == "webhook.test" {
                // A test ping goes to the webhook it names, whatever its filters.
                e.data["webhook_id"] == h.webhook.id.as_str()
            } else {
                h.webhook.event_types.iter().any(|p| super::type_matches(p, &e.kind))
            }
        })
        .map(|h| h.webhook.id.clone())
        .collect()
}

/// Starts queueing (from the event log, whichever node's events) and delivering. Every
/// node runs both; the store makes each event queued once and each attempt made by one
/// node.
pub fn start(store: Store, bus: Arc<EventBus>, feed: Arc<Feed>, snapshot: Arc<SnapshotHandle>, max_age: Duration) {
    // Queue: logged events -> outbox rows, from the cursor, whenever the feed moves.
    let queue_store = store.clone();
    let queue_snapshot = snapshot.clone();
    tokio::spawn(async move {
        let mut moved = feed.subscribe();
        // The events the feed passed on since the last look, in order (emptied when the
        // feed ran ahead of this task: the store has them).
        let mut known: Vec<Arc<Event>> = Vec::new();
        let mut skipped: Option<Instant> = None;
        loop {
            // Another node may hold the cursor: look again within a second anyway.
            match tokio::time::timeout(Duration::from_secs(1), moved.recv()).await {
                Ok(Ok(e)) => known.push(e),
                Err(_) => {}
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => known.clear(),
                Ok(Err(broadcast::error::RecvError::Closed)) => break,
            }
            loop {
                match moved.try_recv() {
                    Ok(e) => known.push(e),
                    Err(broadcast::error::TryRecvError::Lagged(_)) => known.clear(),
                    Err(_) => break,
                }
            }
            // Read before the configuration: every event passed on by then was committed
            // before this look, so a webhook enabled after it is in this snapshot.
            let upto = feed.last_seq();
            let snap = queue_snapshot.get();
            if !snap.webhooks.values().any(|h| h.webhook.enabled) {
                known.clear();
                // Nothing to queue: the cursor moves once a second, without reading events.
                if skipped.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                    skipped = Some(Instant::now());
                    if let Err(err) = queue_store.skip_deliveries(upto).await {
                        tracing::warn!(error = %err, "cannot move the webhook cursor");
                    }
                }
                continue;
            }
            let mut batch = std::mem::take(&mut known);
            loop {
                match queue_store.queue_deliveries(QUEUE_BATCH, &batch, |e| hooks_for(&snap, e)).await {
                    Ok(Some(n)) if n as u32 == QUEUE_BATCH => batch.clear(),
                    Ok(_) => break,
                    Err(err) => {
                        tracing::error!(error = %err, "cannot queue webhook deliveries");
                        break;
                    }
                }
            }
        }
    });
    // Deliver: due rows, oldest first.
    tokio::spawn(async move {
        let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "cannot build the webhook HTTP client");
                return;
            }
        };
        let mut released: Option<Instant> = None;
        loop {
            if released.is_none_or(|at| at.elapsed() >= NODE_SILENT / 3) {
                let own = released.is_none();
                released = Some(Instant::now());
                let before = chrono::Utc::now().timestamp_millis() - NODE_SILENT.as_millis() as i64;
                match store.release_deliveries(before, own).await {
                    Ok(0) => {}
                    Ok(n) => tracing::warn!(deliveries = n, "webhook attempts of a node that stopped or went silent are due again"),
                    Err(e) => tracing::warn!(error = %e, "cannot release the webhook attempts of silent nodes"),
                }
            }
            let due = match store.claim_due_deliveries(CLAIM, LEASE_MS).await {
                Ok(d) => d,
                // The process is stopping: the outbox stays for the next start.
                Err(_) if store.pool().is_closed() => break,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the webhook outbox");
                    Vec::new()
                }
            };
            if due.is_empty() {
                tokio::time::sleep(POLL).await;
                continue;
            }
            let snap = snapshot.get();
            for (delivery, body) in due {
                let Some(hook) = snap.webhooks.get(&delivery.webhook_id).cloned() else {
                    let _ = store.record_attempt(&delivery, "failed", 0, None, Some("the webhook was deleted"), 0).await;
                    continue;
                };
                let timestamp = chrono::Utc::now().timestamp();
                let secret = hook.secret.clone().unwrap_or_default();
                let started = Instant::now();
                let result = client
                    .post(&hook.webhook.url)
                    .header("content-type", "application/json")
                    .header("webhook-id", &delivery.id)
                    .header("webhook-timestamp", timestamp.to_string())
                    .header("webhook-signature", signature(&secret, &delivery.id, timestamp, &body))
                    .body(body.clone())
                    .send()
                    .await;
                let latency = started.elapsed().as_millis() as u64;
                let (ok, status, error) = match result {
                    Ok(r) => (r.status().is_success(), Some(r.status().as_u16()), (!r.status().is_success()).then(|| format!("HTTP {}", r.status()))),
                    Err(e) => (false, None, Some(e.to_string())),
                };
                if ok {
                    let _ = store.record_attempt(&delivery, "delivered", 0, status, None, latency).await;
                    continue;
                }
                crate::metrics::metrics().webhook_failures.inc();
                let age = chrono::Utc::now() - delivery.created_at;
                if age.to_std().unwrap_or_default() >= max_age {
                    let _ = store.record_attempt(&delivery, "failed", 0, status, error.as_deref(), latency).await;
                    bus.publish(EventPayload::WebhookFailing(WebhookFailingData {
                        webhook_id: hook.webhook.id.clone(),
                        url: hook.webhook.url.clone(),
                        delivery_id: delivery.id.clone(),
                        last_error: error.clone(),
                    }));
                    continue;
                }
                let backoff = Duration::from_secs(1u64 << delivery.attempts.min(12)).min(MAX_BACKOFF);
                let jitter = rand::rng().random_range(0.8..1.2);
                let next = chrono::Utc::now().timestamp_millis() + (backoff.as_millis() as f64 * jitter) as i64;
                let _ = store.record_attempt(&delivery, "pending", next, status, error.as_deref(), latency).await;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks specification's published example.
    #[test]
    fn signature_matches_the_standard_webhooks_example() {
        let sig = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
