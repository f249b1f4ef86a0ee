//! The media service: Callplane decides policy, rtpengine moves the packets. Calls ask it
//! to offer, answer and delete; it knows nothing of SIP (tags and session descriptions
//! are opaque bytes here).

pub mod dtmf;
pub mod g711;
pub mod wav;
pub mod local;
pub mod moh;
pub mod ng;
pub mod policy;
pub mod prompts;
pub mod recording;
pub mod sdp;
pub mod sink;

use std::net::IpAddr;

use ng::{NgClient, NgError, NgRequest};

/// What the SIP core gets of the media plane: the relay, and the keypresses it reports.
pub struct MediaPlane {
    pub relay: std::sync::Arc<MediaRelay>,
    pub dtmf: Option<tokio::sync::mpsc::UnboundedReceiver<dtmf::DtmfReport>>,
}

/// One party's view, as the relay needs it: its tag in the relay's session, where its
/// signalling came from, and whether it is behind NAT (then that source address is used
/// instead of the private one in its SDP, until its first RTP packet is seen).
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    pub tag: &'a str,
    pub source: IpAddr,
    pub behind_nat: bool,
}

/// The rtpengines Callplane relays media through (none: direct media).
pub struct MediaRelay {
    engines: Vec<NgClient>,
    /// What held parties hear (a WAV path rtpengine can read); none: silence.
    music_on_hold: Option<std::path::PathBuf>,
    /// Where recordings go (a local rtpengine writes their pcaps to its spool).
    pub recordings: Option<std::sync::Arc<recording::Recordings>>,
    /// Bumped each time the relay goes from answering to not answering.
    losses: tokio::sync::watch::Sender<u64>,
    /// The last health check found every rtpengine answering.
    up: std::sync::atomic::AtomicBool,
}

/// How often the relay is pinged.
pub const HEALTH_INTERVAL: std::time::Duration = std::time::Duration::from_secs(1);

impl MediaRelay {
    pub fn new(urls: &[String]) -> Self {
        MediaRelay { engines: urls.iter().map(|u| NgClient::new(u)).collect(), music_on_hold: None, recordings: None, losses: tokio::sync::watch::Sender::new(0), up: std::sync::atomic::AtomicBool::new(true) }
    }

    pub fn none() -> Self {
        MediaRelay { engines: vec![], music_on_hold: None, recordings: None, losses: tokio::sync::watch::Sender::new(0), up: std::sync::atomic::AtomicBool::new(false) }
    }

    /// Configured, and answering at the last health check: new calls may be relayed.
    pub fn is_available(&self) -> bool {
        self.is_enabled() && self.up.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Changes each time the relay stops answering (its sessions, and the media of the
    /// calls it carried, are gone).
    pub fn losses(&self) -> tokio::sync::watch::Receiver<u64> {
        self.losses.subscribe()
    }

    /// The relay lost its sessions (it exited, and may be back already): relayed calls
    /// end, and new calls use direct media until the next health check sees it answer.
    pub fn report_loss(&self) {
        tracing::error!("the media relay lost its sessions: relayed calls end");
        self.up.store(false, std::sync::atomic::Ordering::Relaxed);
        self.losses.send_modify(|n| *n += 1);
    }

    /// Pings the relay every `HEALTH_INTERVAL` while `relay` lives; a relay that stops
    /// answering is reported once through `losses` (and in the log), and again only after
    /// it answered in between.
    pub fn start_health_checks(relay: &std::sync::Arc<MediaRelay>) {
        if !relay.is_enabled() {
            return;
        }
        let weak = std::sync::Arc::downgrade(relay);
        tokio::spawn(async move {
            let mut up = true;
            let mut tick = tokio::time::interval(HEALTH_INTERVAL);
            loop {
                tick.tick().await;
                let Some(relay) = weak.upgrade() else { break };
                let answered = relay.ping().await;
                relay.up.store(answered.is_ok(), std::sync::atomic::Ordering::Relaxed);
                match answered {
                    Ok(()) if !up => {
                        up = true;
                        tracing::info!("the media relay answers again");
                    }
                    Ok(()) => {}
                    Err(e) if up => {
                        up = false;
                        tracing::error!(error = %e, "the media relay stopped answering: relayed calls end; new calls use direct media until it is back");
                        relay.losses.send_modify(|n| *n += 1);
                    }
                    Err(_) => {}
                }
            }
        });
    }

    pub fn is_enabled(&self) -> bool {
        !self.engines.is_empty()
    }

    pub fn urls(&self) -> Vec<String> {
        self.engines.iter().map(|e| e.url().to_owned()).collect()
    }

    /// The rtpengine a call's session lives on: chosen by its id, so every request of a
    /// call goes to the same one.
    fn engine(&self, session: &str) -> Option<&NgClient> {
        if self.engines.is_empty() {
            return None;
        }
        let hash = session.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
        self.engines.get(hash as usize % self.engines.len())
    }

    fn with_side(request: NgRequest, side: &Side<'_>) -> NgRequest {
        if !side.behind_nat {
            return request;
        }
        let family = if side.source.is_ipv4() { "IP4" } else { "IP6" };
        request.list("received-from", &[family, &side.source.to_string()]).list("flags", &["SIP-source-address"])
    }

    /// `offerer`'s session description `sdp`, rewritten for the party tagged `to_tag`
    /// (`None` before that party answered): the relay's addresses and ports instead of the
    /// offerer's.
    pub async fn offer(&self, session: &str, offerer: &Side<'_>, to_tag: Option<&str>, sdp: &[u8]) -> Result<Vec<u8>, NgError> {
        let engine = self.engine(session).ok_or_else(|| NgError::Unreachable { url: String::new(), reason: "no relay configured".into() })?;
        let mut request = NgRequest::new("offer")
            .text("call-id", session)
            .text("from-tag", offerer.tag)
            .text("sdp", sdp)
            .list("replace", &["origin", "session-connection"])
            .text("ICE", "remove");
        if let Some(t) = to_tag {
            request = request.text("to-tag", t);
        }
        let reply = engine.send(&Self::with_side(request, offerer)).await?;
        reply.bytes("sdp").map(<[u8]>::to_vec).ok_or_else(|| NgError::Garbled { url: engine.url().to_owned(), reason: "an offer reply without sdp".into() })
    }

    /// `answerer`'s answer `sdp` to the offer of the party tagged `offerer_tag`, rewritten
    /// for that party.
    pub async fn answer(&self, session: &str, offerer_tag: &str, answerer: &Side<'_>, sdp: &[u8]) -> Result<Vec<u8>, NgError> {
        let engine = self.engine(session).ok_or_else(|| NgError::Unreachable { url: String::new(), reason: "no relay configured".into() })?;
        let request = NgRequest::new("answer")
            .text("call-id", session)
            .text("from-tag", offerer_tag)
            .text("to-tag", answerer.tag)
            .text("sdp", sdp)
            .list("replace", &["origin", "session-connection"])
            .text("ICE", "remove");
        let reply = engine.send(&Self::with_side(request, answerer)).await?;
        reply.bytes("sdp").map(<[u8]>::to_vec).ok_or_else(|| NgError::Garbled { url: engine.url().to_owned(), reason: "an answer reply without sdp".into() })
    }

    /// Sets the music held parties hear.
    pub fn with_music_on_hold(mut self, file: Option<std::path::PathBuf>) -> Self {
        self.music_on_hold = file;
        self
    }

    /// Sets where recordings go (with a local rtpengine writing to its spool).
    pub fn with_recordings(mut self, recordings: Option<std::sync::Arc<recording::Recordings>>) -> Self {
        self.recordings = recordings;
        self
    }

    /// Starts (or stops) recording the session: both directions, into the spool.
    pub async fn record(&self, session: &str, start: bool) -> Result<(), NgError> {
        let Some(engine) = self.engine(session) else { return Ok(()) };
        let command = if start { "start recording" } else { "stop recording" };
        engine.send(&NgRequest::new(command).text("call-id", session)).await.map(|_| ())
    }

    /// Plays the music on hold, looped, to the party tagged `tag` (until `stop_music`).
    pub async fn play_music(&self, session: &str, tag: &str) -> Result<(), NgError> {
        let (Some(engine), Some(file)) = (self.engine(session), &self.music_on_hold) else { return Ok(()) };
        let request = NgRequest::new("play media")
            .text("call-id", session)
            .text("from-tag", tag)
            .text("file", file.to_string_lossy().as_bytes())
            .int("repeat-times", 10_000);
        engine.send(&request).await.map(|_| ())
    }

    /// Plays `file` (a WAV rtpengine can read) once to the party tagged `tag`; returns how
    /// long it lasts, in milliseconds, when rtpengine says.
    pub async fn play_file(&self, session: &str, tag: &str, file: &std::path::Path) -> Result<Option<u64>, NgError> {
        let engine = self.engine(session).ok_or_else(|| NgError::Unreachable { url: String::new(), reason: "no relay configured".into() })?;
        let request = NgRequest::new("play media").text("call-id", session).text("from-tag", tag).text("file", file.to_string_lossy().as_bytes());
        let reply = engine.send(&request).await?;
        Ok(reply.int("duration").and_then(|d| u64::try_from(d).ok()))
    }

    /// Plays `file` to the party tagged `tag` over and over (a ringback tone) until
    /// `stop_music` or another file.
    pub async fn play_file_looped(&self, session: &str, tag: &str, file: &std::path::Path) -> Result<(), NgError> {
        let Some(engine) = self.engine(session) else { return Ok(()) };
        let request = NgRequest::new("play media").text("call-id", session).text("from-tag", tag).text("file", file.to_string_lossy().as_bytes()).int("repeat-times", 1_000);
        engine.send(&request).await.map(|_| ())
    }

    /// Stops (or lets through again) what the party tagged `tag` sends: while it holds the
    /// other party, the music replaces its audio (a holding phone may send music of its own,
    /// which would otherwise mix with ours).
    pub async fn block_media_from(&self, session: &str, tag: &str, block: bool) -> Result<(), NgError> {
        let Some(engine) = self.engine(session) else { return Ok(()) };
        let command = if block { "block media" } else { "unblock media" };
        engine.send(&NgRequest::new(command).text("call-id", session).text("from-tag", tag)).await.map(|_| ())
    }

    /// Stops what `play_music` plays to the party tagged `tag`.
    pub async fn stop_music(&self, session: &str, tag: &str) -> Result<(), NgError> {
        let Some(engine) = self.engine(session) else { return Ok(()) };
        engine.send(&NgRequest::new("stop media").text("call-id", session).text("from-tag", tag)).await.map(|_| ())
    }

    /// `offer` for a body with its content type; when the relay fails the body passes
    /// unchanged (direct media for that exchange) and the log says so.
    pub async fn offer_or_unchanged(&self, session: &str, offerer: &Side<'_>, to_tag: Option<&str>, body: Option<(String, Vec<u8>)>) -> Option<(String, Vec<u8>)> {
        let (content_type, sdp) = body?;
        Some(match self.offer(session, offerer, to_tag, &sdp).await {
            Ok(relayed) => (content_type, relayed),
            Err(e) => {
                tracing::warn!(call = %session, error = %e, "media relay failed: the offer passes unchanged (direct media)");
                (content_type, sdp)
            }
        })
    }

    /// `answer` for a body with its content type; unchanged when the relay fails.
    pub async fn answer_or_unchanged(&self, session: &str, offerer_tag: &str, answerer: &Side<'_>, body: Option<(String, Vec<u8>)>) -> Option<(String, Vec<u8>)> {
        let (content_type, sdp) = body?;
        Some(match self.answer(session, offerer_tag, answerer, &sdp).await {
            Ok(relayed) => (content_type, relayed),
            Err(e) => {
                tracing::warn!(call = %session, error = %e, "media relay failed: the answer passes unchanged (direct media)");
                (content_type, sdp)
            }
        })
    }

    /// Ends the session at once (no delete delay): its ports are free again.
    pub async fn delete(&self, session: &str) -> Result<(), NgError> {
        let Some(engine) = self.engine(session) else { return Ok(()) };
        let request = NgRequest::new("delete").text("call-id", session).int("delete-delay", 0);
        match engine.send(&request).await {
            Ok(_) => Ok(()),
            // Already gone (never offered, or deleted by a timeout): nothing to free.
            Err(NgError::Refused { reason, .. }) if reason.contains("not found") => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Whether every configured rtpengine answers `ping`.
    pub async fn ping(&self) -> Result<(), NgError> {
        for engine in &self.engines {
            engine.send(&NgRequest::new("ping")).await?;
        }
        Ok(())
    }

    /// The 50th and 99th percentile of the recent ng round trips, in milliseconds.
    pub fn round_trip_ms(&self) -> Option<(f64, f64)> {
        let mut all: Vec<u32> = self.engines.iter().flat_map(NgClient::latencies_us).collect();
        if all.is_empty() {
            return None;
        }
        all.sort_unstable();
        let at = |q: f64| f64::from(all[((all.len() - 1) as f64 * q).round() as usize]) / 1000.0;
        Some((at(0.5), at(0.99)))
    }

    /// Sessions the relay holds now (`list` command), summed over the rtpengines.
    pub async fn session_count(&self) -> Result<usize, NgError> {
        let mut total = 0;
        for engine in &self.engines {
            let reply = engine.send(&NgRequest::new("list").int("limit", 100_000)).await?;
            if let Some(serde_bencode::value::Value::List(calls)) = reply.entries.get(&b"calls"[..]) {
                total += calls.len();
            }
        }
        Ok(total)
    }
}
