//! The other nodes' APIs: live calls are listed across the cluster and acted on where they
//! live. A request to a peer carries a short-lived token re-signed from the caller's (same
//! id and scope: a revoked token stays refused) and `local=true`, so the peer answers for
//! itself only and never forwards again.

use std::time::Duration;

use reqwest::Method;

use crate::auth::TokenSigner;
use crate::auth::jwt::Claims;
use crate::store::Store;

/// A node silent for longer is not asked.
const ALIVE: Duration = Duration::from_secs(10);
/// How long a peer has to answer.
const TIMEOUT: Duration = Duration::from_secs(3);

pub struct Peers {
    store: Store,
    client: reqwest::Client,
}

/// A peer's answer: its status and body.
pub struct PeerAnswer {
    pub node: String,
    pub status: u16,
    pub body: Vec<u8>,
}

impl Peers {
    pub fn new(store: Store) -> Peers {
        let client = reqwest::Client::builder().timeout(TIMEOUT).build().unwrap_or_default();
        Peers { store, client }
    }

    /// Sends `method path` (with `local=true` added) to every other live node, with the
    /// caller's authority. Nodes that cannot be reached are returned by name.
    pub async fn ask_all(&self, signer: &TokenSigner, claims: &Claims, method: Method, path: &str, body: Option<&serde_json::Value>) -> (Vec<PeerAnswer>, Vec<String>) {
        let since = chrono::Utc::now() - chrono::Duration::from_std(ALIVE).unwrap_or_default();
        let peers = match self.store.peers(since.timestamp_millis()).await {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "cannot list the other nodes");
                return (vec![], vec![]);
            }
        };
        if peers.is_empty() {
            return (vec![], vec![]);
        }
        let Ok((token, _)) = signer.sign(&claims.jti, &claims.sub, claims.scope, Duration::from_secs(60)) else {
            return (vec![], peers.into_iter().map(|(n, _)| n).collect());
        };
        let sep = if path.contains('?') { '&' } else { '?' };
        let asks = peers.into_iter().map(|(node, api)| {
            let mut request = self.client.request(method.clone(), format!("{}{path}{sep}local=true", api.trim_end_matches('/'))).bearer_auth(&token);
            if let Some(b) = body {
                request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(b.to_string());
            }
            async move {
                match request.send().await {
                    Ok(resp) => {
                        let status = resp.status().as_u16();
                        match resp.bytes().await {
                            Ok(body) => Ok(PeerAnswer { node, status, body: body.to_vec() }),
                            Err(e) => Err((node, e.to_string())),
                        }
                    }
                    Err(e) => Err((node, e.to_string())),
                }
            }
        });
        let mut answers = vec![];
        let mut unreachable = vec![];
        for result in futures_util::future::join_all(asks).await {
            match result {
                Ok(a) => answers.push(a),
                Err((node, e)) => {
                    tracing::warn!(%node, error = %e, "a node's API did not answer");
                    unreachable.push(node);
                }
            }
        }
        (answers, unreachable)
    }
}
