//! Event latency load client: N WebSocket subscribers on `/api/v1/events`; for every frame,
//! latency = arrival time − the event's `time` (stamped by Callplane when it published the
//! event; same host, same clock). Prints frames, p50, p99 and max.
//!
//!     cargo run --release --example event_latency -- 127.0.0.1:8080 TOKEN 100 15 [types]
//!
//! Used by `bench/events/run.sh`, which places the calls with sipp.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;

fn micros_since_epoch(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH).map(|d| d.as_micros() as i64).unwrap_or(0)
}

async fn subscriber(url: String, until: Instant) -> Result<Vec<f64>, String> {
    let (mut ws, _) = tokio_tungstenite::connect_async(&url).await.map_err(|e| e.to_string())?;
    let mut latencies = Vec::new();
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        let frame = match tokio::time::timeout(left, ws.next()).await {
            Err(_) | Ok(None) => break,
            Ok(Some(frame)) => frame.map_err(|e| e.to_string())?,
        };
        let arrived = micros_since_epoch(SystemTime::now());
        if let Message::Text(text) = frame {
            let event: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            let sent = event["time"]
                .as_str()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_micros())
                .ok_or("an event without time")?;
            latencies.push((arrived - sent) as f64 / 1000.0);
        }
    }
    Ok(latencies)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, http, token, subs, seconds, rest @ ..] = args.as_slice() else {
        return Err("usage: event_latency HTTP_ADDR TOKEN SUBSCRIBERS SECONDS [TYPES]".into());
    };
    let subs: usize = subs.parse().map_err(|_| "SUBSCRIBERS: a number")?;
    let seconds: u64 = seconds.parse().map_err(|_| "SECONDS: a number")?;
    let types = rest.first().map_or("call.*", String::as_str);
    let url = format!("ws://{http}/api/v1/events?types={types}&access_token={token}");
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..subs).map(|_| tokio::spawn(subscriber(url.clone(), until))).collect();
    println!("subscribed {subs}");
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        match t.await {
            Ok(Ok(l)) => all.extend(l),
            Ok(Err(e)) => {
                failed += 1;
                eprintln!("subscriber: {e}");
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    all.sort_by(f64::total_cmp);
    let pct = |p: f64| all.get(((all.len().saturating_sub(1)) as f64 * p) as usize).copied().unwrap_or(f64::NAN);
    println!(
        "subscribers={subs} failed={failed} frames={} latency p50={:.2} ms p99={:.2} ms max={:.2} ms",
        all.len(),
        pct(0.50),
        pct(0.99),
        all.last().copied().unwrap_or(f64::NAN)
    );
    Ok(())
}
