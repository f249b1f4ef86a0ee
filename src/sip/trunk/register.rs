//! The per-trunk task: REGISTER to the carrier with digest answers and refreshes (external
//! lines), or OPTIONS keep-alives (peer trunks).

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use crate::model::trunk_status::{TrunkState, TrunkStatus};
use crate::model::trunk::Transport;
use crate::sip::endpoint::ids::{new_branch, new_call_id};
use crate::sip::consts::SERVER;
use super::Trunks;
use crate::sip::endpoint::Endpoint;
use crate::sip::endpoint::ids::new_tag;
use crate::sip::wire::compose::Compose;
use crate::sip::transaction::client::{Outcome, Outgoing};
use crate::sip::locate::Target;
use crate::sip::transport::Proto;
use crate::sip::wire::digest::Challenge;
use crate::sip::wire::{Message, Method, StartLine};
use crate::snapshot::TrunkEntry;

/// First retry after a failure; doubles up to `MAX_BACKOFF`.
const FIRST_BACKOFF: Duration = Duration::from_secs(2);
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// A registrar that says nothing (not even 100) this long is taken for down when DNS
/// named another server.
const SILENT_SERVER: Duration = Duration::from_secs(5);

/// Under which key the locator keeps a trunk's servers.
pub fn locator_key(trunk_id: &str) -> String {
    format!("trunk:{trunk_id}")
}

/// The transport a trunk's `transport` names.
pub fn proto_of(transport: Transport) -> Proto {
    match transport {
        Transport::Udp => Proto::Udp,
        Transport::Tcp => Proto::Tcp,
        Transport::Tls => Proto::Tls,
    }
}

/// Where requests to the trunk go now: the outbound proxy or the host, located by DNS
/// (RFC 3263: NAPTR, SRV, A/AAAA) unless given as an address; the target in use stays
/// until it fails or its DNS answers expire (`Locator`).
pub async fn target(endpoint: &Endpoint, entry: &TrunkEntry) -> Option<Target> {
    let t = &entry.trunk;
    let transport = t.transport.map(proto_of);
    let (host, port) = match &t.outbound_proxy {
        Some(p) => (&p.host, p.port),
        None => (&t.host, t.port),
    };
    let target = endpoint.locator.current(&locator_key(&entry.trunk.id), host.as_str(), port, transport).await?;
    if target.proto == Proto::Tls {
        // The carrier's certificate is checked against its domain (also sent as SNI).
        endpoint.transports.set_tls_name(target.addr, host.as_str().trim_start_matches('[').trim_end_matches(']'));
    }
    Some(target)
}

/// `sip:host[:port][;request_uri_params]` of the trunk.
pub fn registrar_uri(entry: &TrunkEntry) -> String {
    let t = &entry.trunk;
    let host = t.host.uri_form();
    let mut uri = match t.port {
        Some(port) if port != 5060 => format!("sip:{host}:{port}"),
        _ => format!("sip:{host}"),
    };
    let params = t.quirks.request_uri_params.trim_start_matches(';');
    if !params.is_empty() {
        uri.push(';');
        uri.push_str(params);
    }
    uri
}

fn status_line(msg: &Message) -> String {
    let (code, reason) = match &msg.start {
        StartLine::Response { code, reason } => (*code, reason.clone()),
        StartLine::Request { .. } => (0, String::new()),
    };
    let mut line = format!("{code} {reason}").trim().to_owned();
    for name in ["P-Registrar-Error", "Reason", "Warning"] {
        if let Some(v) = msg.header(name) {
            line.push_str(&format!("; {name}: {v}"));
        }
    }
    line
}

struct Registration {
    call_id: String,
    cseq: u32,
}

pub async fn run(trunks: Arc<Trunks>, entry: Arc<TrunkEntry>) {
    let t = &entry.trunk;
    if !t.enabled {
        return;
    }
    if t.register {
        register_loop(trunks, entry).await;
    } else if let Some(interval) = t.keepalive_s {
        keepalive_loop(trunks, entry, Duration::from_secs(u64::from(interval))).await;
    }
}

fn status(trunks: &Trunks, entry: &TrunkEntry, state: TrunkState, last: Option<String>, until: Option<chrono::DateTime<Utc>>, next: Duration) -> TrunkStatus {
    let now = Utc::now();
    let view = trunks.endpoint.locator.view(&locator_key(&entry.trunk.id));
    TrunkStatus {
        target: view.as_ref().map(|v| v.target.clone()),
        target_note: view.and_then(|v| v.note),
        trunk_id: entry.trunk.id.clone(),
        name: entry.trunk.name.clone(),
        state,
        last_response: last,
        registered_until: until,
        next_attempt_at: chrono::Duration::from_std(next).ok().map(|d| now + d),
        updated_at: now,
    }
}

async fn register_loop(trunks: Arc<Trunks>, entry: Arc<TrunkEntry>) {
    let t = &entry.trunk;
    let mut reg = Registration { call_id: new_call_id(), cseq: 0 };
    let mut backoff = FIRST_BACKOFF;
    loop {
        let wait = match attempt(&trunks, &entry, &mut reg).await {
            Ok((granted, line)) => {
                backoff = FIRST_BACKOFF;
                let until = Utc::now() + chrono::Duration::seconds(i64::from(granted));
                // Refresh well before expiry (RFC 3261 leaves the margin to the client).
                let refresh = Duration::from_secs(u64::from(granted.saturating_sub(granted / 5).max(1)));
                trunks.set(status(&trunks, &entry, TrunkState::Registered, Some(line), Some(until), refresh));
                refresh
            }
            Err((line, retry_after)) => {
                let wait = retry_after.unwrap_or(backoff).min(Duration::from_secs(3600));
                backoff = (backoff * 2).min(MAX_BACKOFF);
                trunks.set(status(&trunks, &entry, TrunkState::Failed, Some(line), None, wait));
                if !t.quirks.register_same_call_id {
                    reg = Registration { call_id: new_call_id(), cseq: 0 };
                }
                wait
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// One registration: REGISTER, answering up to two challenges. `Ok` carries the granted
/// expiry and the answer line; `Err` the carrier's answer and its Retry-After.
async fn attempt(trunks: &Arc<Trunks>, entry: &TrunkEntry, reg: &mut Registration) -> Result<(u32, String), (String, Option<Duration>)> {
    let t = &entry.trunk;
    let Some(located) = target(&trunks.endpoint, entry).await else {
        return Err((format!("cannot resolve {}", t.outbound_proxy.as_ref().map_or(t.host.to_string(), |p| p.to_string())), None));
    };
    let target = located.source();
    // RFC 3263 section 4.3: no answer, or 503, moves to the next server at once.
    let fail_over = |why: &str, line: String, retry: Option<Duration>| {
        if trunks.endpoint.locator.failed(&locator_key(&entry.trunk.id), &located, why) { (line, Some(Duration::ZERO)) } else { (line, retry) }
    };
    let local = trunks.endpoint.local_addr_on(target.addr.ip(), target.proto);
    let username = t.username.clone().unwrap_or_default();
    let auth_user = t.auth_username.clone().unwrap_or_else(|| username.clone());
    let password = entry.password.clone().unwrap_or_default();
    let uri = registrar_uri(entry);
    let mut authorization: Option<(&'static str, String)> = None;
    for _round in 0..3 {
        if !t.quirks.register_same_call_id {
            // Quirk: a new Call-ID (and CSeq from 1) for every REGISTER, the authenticated
            // retry included, for carriers that reject the RFC 3261 behaviour.
            reg.call_id = new_call_id();
            reg.cseq = 0;
        }
        reg.cseq += 1;
        let branch = new_branch();
        let transport = target.proto.uri_param().map(|p| format!(";transport={p}")).unwrap_or_default();
        let mut request = Compose::request("REGISTER", &uri);
        request
            .header("Via", &format!("SIP/2.0/{} {local};branch={branch};rport", target.proto.as_str()))
            .header("Max-Forwards", "70")
            .header("From", &format!("<sip:{username}@{}>;tag={}", t.host, new_tag()))
            .header("To", &format!("<sip:{username}@{}>", t.host))
            .header("Call-ID", &reg.call_id)
            .header("CSeq", &format!("{} REGISTER", reg.cseq))
            .header("Contact", &format!("<sip:{username}@{local}{transport}>"))
            .header("Expires", &t.expires_s.to_string())
            .header("User-Agent", SERVER);
        if let Some((name, value)) = &authorization {
            request.header(name, value);
        }
        let mut rx = trunks.endpoint.client.start(
            trunks.endpoint.transports.clone(),
            Outgoing { bytes: request.finish(None), branch, method: Method::Register, target, ack_for: None },
        );
        // A server silent for `SILENT_SERVER` is left for the next one when DNS gave
        // another (RFC 3263 section 4.3; the transaction's own timeout is 32 s).
        let mut patience = Some(SILENT_SERVER);
        let response = loop {
            let next = match patience {
                Some(wait) => match tokio::time::timeout(wait, rx.recv()).await {
                    Ok(next) => next,
                    Err(_) => {
                        let line = format!("408 Request Timeout (no answer from {located} in {} s)", SILENT_SERVER.as_secs());
                        if trunks.endpoint.locator.failed(&locator_key(&entry.trunk.id), &located, "no answer") {
                            return Err((line, Some(Duration::ZERO)));
                        }
                        patience = None;
                        continue;
                    }
                },
                None => rx.recv().await,
            };
            match next {
                Some(Outcome::Response(r)) if r.status().unwrap_or(0) < 200 => patience = None,
                Some(Outcome::Response(r)) => break r,
                Some(Outcome::Timeout) | None => return Err(fail_over("no answer", "408 Request Timeout (no answer from the carrier)".into(), None)),
            }
        };
        let code = response.status().unwrap_or(500);
        let line = status_line(&response);
        match code {
            200..=299 => return Ok((granted_expires(&response, t.expires_s), line)),
            401 | 407 if authorization.is_none() || response.header_all(if code == 401 { "WWW-Authenticate" } else { "Proxy-Authenticate" }).any(|c| Challenge::parse(c).is_some_and(|c| c.stale)) => {
                let name = if code == 401 { "WWW-Authenticate" } else { "Proxy-Authenticate" };
                let answer = response.header_all(name).filter_map(Challenge::parse).find_map(|c| {
                    let cnonce = new_tag();
                    c.answer("REGISTER", &uri, &auth_user, &password, &cnonce, 1)
                });
                let Some(answer) = answer else { return Err((format!("{line} (no usable challenge)"), None)) };
                authorization = Some((if code == 401 { "Authorization" } else { "Proxy-Authorization" }, answer));
            }
            _ => {
                let retry = response.header("Retry-After").and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok()).map(Duration::from_secs);
                return Err(if code == 503 { fail_over("503", line, retry) } else { (line, retry) });
            }
        }
    }
    Err(("401 Unauthorized (credentials refused)".into(), None))
}

/// The expiry the carrier granted: our Contact's `expires`, else `Expires`, else ours.
fn granted_expires(response: &Message, asked: u32) -> u32 {
    let from_contact = response
        .contacts()
        .filter_map(|c| crate::sip::wire::name_addr::NameAddr::parse(c).ok())
        .filter_map(|c| c.param("expires").flatten().and_then(|e| e.parse::<u32>().ok()))
        .min();
    from_contact.or_else(|| response.expires()).unwrap_or(asked).max(1)
}

async fn keepalive_loop(trunks: Arc<Trunks>, entry: Arc<TrunkEntry>, interval: Duration) {
    let t = &entry.trunk;
    loop {
        let (state, line) = match target(&trunks.endpoint, &entry).await {
            None => (TrunkState::Down, format!("cannot resolve {}", t.host)),
            Some(located) => {
                let target = located.source();
                let mut rx = crate::sip::endpoint::options::ping(&trunks.endpoint, target, &registrar_uri(&entry));
                loop {
                    match rx.recv().await {
                        Some(Outcome::Response(r)) if r.status().unwrap_or(0) < 200 => continue,
                        // Any final answer proves the peer is alive (even 404 or 405).
                        Some(Outcome::Response(r)) => break (TrunkState::Up, status_line(&r)),
                        _ => {
                            trunks.endpoint.locator.failed(&locator_key(&entry.trunk.id), &located, "no answer to OPTIONS");
                            break (TrunkState::Down, "408 Request Timeout (no answer to OPTIONS)".into());
                        }
                    }
                }
            }
        };
        trunks.set(status(&trunks, &entry, state, Some(line), None, interval));
        tokio::time::sleep(interval).await;
    }
}
