//! HS256 JSON Web Tokens for the API.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Scope;

pub const ISSUER: &str = "callplane";
/// The id of the first key (the one tokens without a `kid` were signed with).
pub const FIRST: &str = "first";

/// The claims Callplane signs. `jti` is the id of the token's row in `api_tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub sub: String,
    pub jti: String,
    pub scope: Scope,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token has expired")]
    Expired,
    #[error("the token has been revoked")]
    Revoked,
    #[error("the token is not a valid Callplane token")]
    Invalid,
    #[error("cannot sign token: {0}")]
    Sign(String),
}

/// One signing key: its id (the tokens' `kid`) and secret.
#[derive(Clone)]
pub struct SigningKey {
    pub id: String,
    pub secret: Vec<u8>,
}

struct Keys {
    /// The newest: new tokens are signed with it.
    signing: (String, EncodingKey),
    /// Every key in force, by id: a token verifies with the key its `kid` names.
    verifying: Vec<(String, DecodingKey)>,
}

impl Keys {
    fn of(keys: &[SigningKey]) -> Option<Keys> {
        let newest = keys.last()?;
        Some(Keys {
            signing: (newest.id.clone(), EncodingKey::from_secret(&newest.secret)),
            verifying: keys.iter().map(|k| (k.id.clone(), DecodingKey::from_secret(&k.secret))).collect(),
        })
    }
}

/// Signs and verifies tokens; remembers revoked token ids so revocation is immediate.
/// Several keys may be in force at once (a rotation): the newest signs, each verifies the
/// tokens that name it.
pub struct TokenSigner {
    keys: arc_swap::ArcSwap<Keys>,
    validation: Validation,
    revoked: RwLock<HashSet<String>>,
}

impl TokenSigner {
    /// A signer with one key (id `first`).
    pub fn new(secret: &[u8]) -> Self {
        let keys = Keys {
            signing: (FIRST.to_owned(), EncodingKey::from_secret(secret)),
            verifying: vec![(FIRST.to_owned(), DecodingKey::from_secret(secret))],
        };
        Self::build(keys)
    }

    /// A signer with `keys`, oldest first (the last one signs); `None` without any.
    pub fn with_keys(keys: &[SigningKey]) -> Option<Self> {
        Keys::of(keys).map(Self::build)
    }

    fn build(keys: Keys) -> Self {
        // Only HS256 is accepted: `alg: none` and every other algorithm fail validation.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 0;
        Self { keys: arc_swap::ArcSwap::from_pointee(keys), validation, revoked: RwLock::new(HashSet::new()) }
    }

    /// Puts `keys` in force (oldest first; the last one signs). Ignored when empty.
    pub fn set_keys(&self, keys: &[SigningKey]) {
        if let Some(k) = Keys::of(keys) {
            self.keys.store(std::sync::Arc::new(k));
        }
    }

    /// The id of the key new tokens are signed with.
    pub fn signing_key_id(&self) -> String {
        self.keys.load().signing.0.clone()
    }

    /// Signs a token for `jti` valid from now for `ttl`.
    pub fn sign(&self, jti: &str, subject: &str, scope: Scope, ttl: Duration) -> Result<(String, Claims), TokenError> {
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).map_err(|e| TokenError::Sign(e.to_string()))?;
        let claims = Claims {
            iss: ISSUER.to_owned(),
            sub: subject.to_owned(),
            jti: jti.to_owned(),
            scope,
            iat: now,
            exp: now.saturating_add(ttl),
        };
        let keys = self.keys.load();
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(keys.signing.0.clone());
        let token = jsonwebtoken::encode(&header, &claims, &keys.signing.1).map_err(|e| TokenError::Sign(e.to_string()))?;
        Ok((token, claims))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let keys = self.keys.load();
        // A token names its key; tokens from before keys had ids were signed with `first`.
        let kid = header.kid.as_deref().unwrap_or(FIRST);
        let Some((_, key)) = keys.verifying.iter().find(|(id, _)| id == kid) else {
            return Err(TokenError::Invalid);
        };
        let data = jsonwebtoken::decode::<Claims>(token, key, &self.validation).map_err(|e| {
            match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            }
        })?;
        if self.is_revoked(&data.claims.jti) {
            return Err(TokenError::Revoked);
        }
        Ok(data.claims)
    }

    pub fn revoke(&self, jti: &str) {
        if let Ok(mut set) = self.revoked.write() {
            set.insert(jti.to_owned());
        }
    }

    pub fn set_revoked(&self, ids: impl IntoIterator<Item = String>) {
        if let Ok(mut set) = self.revoked.write() {
            set.extend(ids);
        }
    }

    fn is_revoked(&self, jti: &str) -> bool {
        // A poisoned lock means a writer panicked; refuse rather than accept a maybe-revoked token.
        self.revoked.read().map(|set| set.contains(jti)).unwrap_or(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn signer() -> TokenSigner {
        TokenSigner::new(&[7u8; 64])
    }

    #[test]
    fn round_trip_and_revocation() {
        let s = signer();
        let (token, _) = s.sign("t1", "test", Scope::Read, Duration::from_secs(60)).expect("sign");
        assert_eq!(s.verify(&token).expect("valid").scope, Scope::Read);
        s.revoke("t1");
        assert_eq!(s.verify(&token).err(), Some(TokenError::Revoked));
    }

    #[test]
    fn a_rotated_signer_verifies_both_keys_until_the_old_one_is_retired() {
        let first = SigningKey { id: "first".into(), secret: vec![7u8; 64] };
        let second = SigningKey { id: "k2".into(), secret: vec![9u8; 64] };
        let s = TokenSigner::with_keys(std::slice::from_ref(&first)).expect("signer");
        let (old, _) = s.sign("t1", "admin", Scope::Admin, Duration::from_secs(60)).expect("sign");
        s.set_keys(&[first, second.clone()]);
        assert_eq!(s.signing_key_id(), "k2");
        let (new, _) = s.sign("t2", "admin", Scope::Admin, Duration::from_secs(60)).expect("sign");
        assert_eq!(jsonwebtoken::decode_header(&new).expect("header").kid.as_deref(), Some("k2"));
        assert!(s.verify(&old).is_ok() && s.verify(&new).is_ok());
        s.set_keys(&[second]);
        assert_eq!(s.verify(&old).err(), Some(TokenError::Invalid), "the retired key's tokens are refused");
        assert!(s.verify(&new).is_ok());
    }

    #[test]
    fn other_secret_and_alg_none_are_rejected() {
        let (token, _) = signer().sign("t1", "x", Scope::Admin, Duration::from_secs(60)).expect("sign");
        assert_eq!(TokenSigner::new(&[8u8; 64]).verify(&token).err(), Some(TokenError::Invalid));
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = token.split('.').nth(1).expect("payload");
        let none = format!("{}.{}.", b64.encode(br#"{"alg":"none","typ":"JWT"}"#), payload);
        assert_eq!(signer().verify(&none).err(), Some(TokenError::Invalid));
    }
}
