//! The rtpengine ng control protocol over HTTP: `POST /ng` with a cookie, a space and a
//! bencoded dictionary; the reply is the same cookie and a bencoded dictionary. (rtpengine's
//! TCP listener drops connections holding more than 1 KB of a partial message and UDP
//! fragments large SDP, so HTTP it is.)

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_bencode::value::Value;

/// How long one ng request may take before the relay counts as unreachable.
pub const NG_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum NgError {
    #[error("rtpengine at {url} is unreachable: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("rtpengine at {url} answered something that is not an ng reply: {reason}")]
    Garbled { url: String, reason: String },
    #[error("rtpengine refused `{command}`: {reason}")]
    Refused { command: String, reason: String },
}

/// One rtpengine's ng endpoint.
pub struct NgClient {
    url: String,
    http: reqwest::Client,
    cookies: AtomicU64,
    /// Round trips of the last `LATENCY_SAMPLES` requests, in microseconds (a lock-free
    /// ring: the slot is the request's cookie number).
    latencies: Vec<std::sync::atomic::AtomicU32>,
}

/// How many recent round trips the latency figures cover.
pub const LATENCY_SAMPLES: usize = 1024;

/// An ng request: the command and its arguments (bencode dictionary entries).
pub struct NgRequest {
    pub command: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

impl NgRequest {
    pub fn new(command: &'static str) -> Self {
        NgRequest { command, args: vec![] }
    }

    pub fn text(mut self, key: &'static str, value: impl AsRef<[u8]>) -> Self {
        self.args.push((key, Value::Bytes(value.as_ref().to_vec())));
        self
    }

    pub fn int(mut self, key: &'static str, value: i64) -> Self {
        self.args.push((key, Value::Int(value)));
        self
    }

    pub fn list(mut self, key: &'static str, values: &[&str]) -> Self {
        self.args.push((key, Value::List(values.iter().map(|v| Value::Bytes(v.as_bytes().to_vec())).collect())));
        self
    }

    /// The bencoded dictionary (keys sorted, as bencode wants).
    pub fn encode(&self) -> Vec<u8> {
        let mut dict: HashMap<Vec<u8>, Value> = self.args.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.clone())).collect();
        dict.insert(b"command".to_vec(), Value::Bytes(self.command.as_bytes().to_vec()));
        serde_bencode::to_bytes(&Value::Dict(dict)).unwrap_or_default()
    }
}

/// A successful ng reply.
#[derive(Debug, Clone, Default)]
pub struct NgReply {
    pub entries: HashMap<Vec<u8>, Value>,
}

impl NgReply {
    pub fn bytes(&self, key: &str) -> Option<&[u8]> {
        match self.entries.get(key.as_bytes()) {
            Some(Value::Bytes(b)) => Some(b),
            _ => None,
        }
    }

    pub fn int(&self, key: &str) -> Option<i64> {
        match self.entries.get(key.as_bytes()) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }
}

/// Splits `cookie SP dictionary` and checks `result` (`ok`, `pong`; `error` carries
/// `error-reason`).
pub fn parse_reply(command: &str, cookie: &str, body: &[u8]) -> Result<NgReply, String> {
    let rest = body
        .strip_prefix(cookie.as_bytes())
        .and_then(|r| r.strip_prefix(b" "))
        .ok_or_else(|| "the reply does not carry the request's cookie".to_owned())?;
    let Value::Dict(entries) = serde_bencode::from_bytes::<Value>(rest).map_err(|e| e.to_string())? else {
        return Err("the reply is not a dictionary".into());
    };
    let reply = NgReply { entries };
    match reply.bytes("result") {
        Some(b"ok") | Some(b"pong") => Ok(reply),
        Some(b"error") => {
            let reason = reply.bytes("error-reason").map(|r| String::from_utf8_lossy(r).into_owned()).unwrap_or_default();
            Err(format!("{command}: {reason}"))
        }
        other => Err(format!("unexpected result {:?}", other.map(String::from_utf8_lossy))),
    }
}

impl NgClient {
    /// `url` is rtpengine's HTTP listener (`http://host:port`; `/ng` is added).
    pub fn new(url: &str) -> Self {
        let base = url.trim_end_matches('/');
        let url = if base.ends_with("/ng") { base.to_owned() } else { format!("{base}/ng") };
        let http = reqwest::Client::builder().timeout(NG_TIMEOUT).build().unwrap_or_default();
        let latencies = (0..LATENCY_SAMPLES).map(|_| std::sync::atomic::AtomicU32::new(0)).collect();
        NgClient { url, http, cookies: AtomicU64::new(rand::random::<u32>() as u64), latencies }
    }

    /// The recent round trips in microseconds (unsorted; empty slots left out).
    pub fn latencies_us(&self) -> Vec<u32> {
        self.latencies.iter().map(|l| l.load(Ordering::Relaxed)).filter(|l| *l > 0).collect()
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn send(&self, request: &NgRequest) -> Result<NgReply, NgError> {
        // rtpengine caches replies by cookie: each request gets its own.
        let number = self.cookies.fetch_add(1, Ordering::Relaxed);
        let cookie = format!("cp{number}");
        let started = std::time::Instant::now();
        let mut body = Vec::with_capacity(cookie.len() + 256);
        body.extend_from_slice(cookie.as_bytes());
        body.push(b' ');
        body.extend_from_slice(&request.encode());
        let unreachable = |e: reqwest::Error| NgError::Unreachable { url: self.url.clone(), reason: e.to_string() };
        let resp = self
            .http
            .post(&self.url)
            .header("Content-Type", "application/x-rtpengine-ng")
            .body(body)
            .send()
            .await
            .map_err(unreachable)?;
        if !resp.status().is_success() {
            return Err(NgError::Unreachable { url: self.url.clone(), reason: format!("HTTP {}", resp.status()) });
        }
        let bytes = resp.bytes().await.map_err(unreachable)?;
        let micros = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX).max(1);
        self.latencies[number as usize % LATENCY_SAMPLES].store(micros, Ordering::Relaxed);
        parse_reply(request.command, &cookie, &bytes).map_err(|reason| {
            if reason.starts_with(request.command) {
                NgError::Refused { command: request.command.to_owned(), reason }
            } else {
                NgError::Garbled { url: self.url.clone(), reason }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_sorted_bencode_dictionaries() {
        let r = NgRequest::new("delete").text("call-id", "c1");
        assert_eq!(r.encode(), b"d7:call-id2:c17:command6:deletee".to_vec());
        let r = NgRequest::new("offer").list("flags", &["trust-address"]);
        assert_eq!(r.encode(), b"d7:command5:offer5:flagsl13:trust-addressee".to_vec());
    }

    #[test]
    fn replies_are_matched_by_cookie_and_result() {
        let ok = parse_reply("offer", "cp1", b"cp1 d3:sdp3:v=06:result2:oke").expect("ok");
        assert_eq!(ok.bytes("sdp"), Some(&b"v=0"[..]));
        assert!(parse_reply("offer", "cp2", b"cp1 d6:result2:oke").is_err());
        let e = parse_reply("answer", "cp1", b"cp1 d6:result5:error12:error-reason13:Unknown call-e").expect_err("refused");
        assert!(e.starts_with("answer: Unknown call"), "{e}");
        assert!(parse_reply("offer", "cp1", b"cp1 not bencode").is_err());
    }
}
