//! `GET /api/v1/events`: the event stream over WebSocket.
//!
//! Auth: a JWT with scope `events` or `admin`, as `Authorization: Bearer`, as the
//! WebSocket subprotocol `bearer.<JWT>` offered beside `callplane` (what a browser can send
//! without putting the token in a URL; the server picks `callplane`), or as the
//! `access_token` query parameter. Filters:
//! `types=call.*,registration.*`, `extension=1001`, `trunk=<id or name>`. `since_seq=N`
//! replays what the log holds after N, then continues live, without gap or duplicate.
//! Each frame is one CloudEvents 1.0 JSON object with `seq`. A client that cannot keep up is
//! closed with a reason saying where to resume, never buffered without bound.

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use poem::http::StatusCode;
use poem::web::websocket::{CloseCode, Message, WebSocket};
use poem::web::{Data, Query};
use poem::{IntoResponse, Request, Response, handler};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::events::Event;
use crate::api::state::ApiState;
use crate::api::error::Problem;
use crate::auth::scope::Access;

const PING_EVERY: Duration = Duration::from_secs(20);
const SEND_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    pub types: Option<String>,
    pub extension: Option<String>,
    pub trunk: Option<String>,
    pub since_seq: Option<u64>,
    pub access_token: Option<String>,
}

/// Which events a client asked for.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    types: Vec<String>,
    extension: Option<String>,
    trunk: Option<String>,
}

impl Filter {
    pub fn new(q: &EventsQuery) -> Filter {
        Filter {
            types: q
                .types
                .as_deref()
                .map(|t| t.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect())
                .unwrap_or_default(),
            extension: q.extension.clone().filter(|e| !e.is_empty()),
            trunk: q.trunk.clone().filter(|t| !t.is_empty()),
        }
    }

    pub fn matches(&self, e: &Event) -> bool {
        let type_ok = self.types.is_empty()
            || self.types.iter().any(|p| crate::events::type_matches(p, &e.kind));
        let field = |names: &[&str], want: &str| names.iter().any(|n| e.data.get(*n).and_then(|v| v.as_str()) == Some(want));
        let extension_ok = self
            .extension
            .as_deref()
            .is_none_or(|x| field(&["aor", "caller", "dialed", "callee", "final_callee", "from", "to"], x));
        let trunk_ok = self.trunk.as_deref().is_none_or(|t| field(&["trunk_id", "name", "trunk"], t));
        type_ok && extension_ok && trunk_ok
    }
}

/// The subprotocol a browser client names so that the server answers with one it offered.
pub const SUBPROTOCOL: &str = "callplane";

fn bearer(req: &Request) -> Option<String> {
    let value = req.headers().get(poem::http::header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|t| t.trim().to_owned())
}

/// The token offered as the subprotocol `bearer.<JWT>` (RFC 6455 section 4.1 lets a client
/// offer several; a JWT's characters are all valid in a protocol token).
fn subprotocol_bearer(req: &Request) -> Option<String> {
    req.headers()
        .get_all(poem::http::header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|p| p.trim().strip_prefix("bearer.").map(str::to_owned))
}

#[handler]
pub async fn events(req: &Request, ws: Option<WebSocket>, Query(q): Query<EventsQuery>, Data(state): Data<&Arc<ApiState>>) -> Response {
    let Some(token) = bearer(req).or_else(|| subprotocol_bearer(req)).or_else(|| q.access_token.clone()) else {
        return Problem::new(StatusCode::UNAUTHORIZED, "send `Authorization: Bearer <token>`, the subprotocol `bearer.<token>` or `?access_token=`")
            .into_response();
    };
    let claims = match state.signer.verify(&token) {
        Ok(c) => c,
        Err(e) => return Problem::new(StatusCode::UNAUTHORIZED, e.to_string()).into_response(),
    };
    if !claims.scope.allows(Access::Events) {
        return Problem::new(StatusCode::FORBIDDEN, format!("the event stream needs scope events or admin; this token has {}", claims.scope))
            .into_response();
    }
    let Some(ws) = ws else {
        return Problem::new(StatusCode::BAD_REQUEST, "this endpoint speaks WebSocket: send an Upgrade request").into_response();
    };
    let state = state.clone();
    let filter = Filter::new(&q);
    let since = q.since_seq;
    ws.protocols([SUBPROTOCOL]).on_upgrade(move |socket| stream(socket, state, filter, since)).into_response()
}

async fn stream(socket: poem::web::websocket::WebSocketStream, state: Arc<ApiState>, filter: Filter, since: Option<u64>) {
    let (mut sink, mut incoming) = socket.split();
    let (mut live, current) = state.feed.subscribe_at();
    let mut last = current;
    if let Some(after) = since.filter(|s| *s < current) {
        match state.provisioner.store().events_between(after, current).await {
            Ok(backlog) => {
                for e in backlog.iter().filter(|e| filter.matches(e)) {
                    if send(&mut sink, e).await.is_err() {
                        return;
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot replay the event log");
                close(&mut sink, CloseCode::Error, "cannot read the event log".into()).await;
                return;
            }
        }
    }
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut stopping = state.stopping.subscribe();
    loop {
        tokio::select! {
            () = async { drop(stopping.wait_for(|s| *s).await) } => {
                close(&mut sink, CloseCode::Away, format!("Callplane is stopping; resume with since_seq={last}")).await;
                return;
            }
            event = live.recv() => match event {
                Ok(e) => {
                    if e.seq <= last {
                        continue;
                    }
                    last = e.seq;
                    if filter.matches(&e) && send(&mut sink, &e).await.is_err() {
                        close(&mut sink, CloseCode::Again, format!("consumer too slow; resume with since_seq={}", e.seq - 1)).await;
                        return;
                    }
                }
                Err(RecvError::Lagged(missed)) => {
                    close(&mut sink, CloseCode::Again, format!("consumer too slow ({missed} events behind); resume with since_seq={last}")).await;
                    return;
                }
                Err(RecvError::Closed) => return,
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Close(_))) => {
                    // Answer the client's Close (RFC 6455 section 5.5.1): without it the
                    // client waits out its close timeout before it gets its connection back.
                    let _ = tokio::time::timeout(SEND_TIMEOUT, sink.flush()).await;
                    return;
                }
                None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = ping.tick() => {
                if tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Ping(Vec::new()))).await.map_or(true, |r| r.is_err()) {
                    return;
                }
            }
        }
    }
}

/// Closes the stream with `code` and `reason` (bounded: a peer that reads nothing more must
/// not hold the task).
async fn close<S>(sink: &mut S, code: CloseCode, reason: String)
where
    S: futures_util::Sink<Message> + Unpin,
{
    let _ = tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Close(Some((code, reason.into()))))).await;
}

async fn send<S>(sink: &mut S, e: &Event) -> Result<(), ()>
where
    S: futures_util::Sink<Message> + Unpin,
{
    let text = e.cloud_event_text().to_owned();
    match tokio::time::timeout(SEND_TIMEOUT, sink.send(Message::Text(text))).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}
