//! HS256 JSON Web Tokens for the API.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::Scope;

pub const ISSUER: &str = "callplane";

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

/// Signs and verifies tokens; remembers revoked token ids so revocation is immediate.
pub struct TokenSigner {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    revoked: RwLock<HashSet<String>>,
}

impl TokenSigner {
    pub fn new(secret: &[u8]) -> Self {
        // Only HS256 is accepted: `alg: none` and every other algorithm fail validation.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 0;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            revoked: RwLock::new(HashSet::new()),
        }
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
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| TokenError::Sign(e.to_string()))?;
        Ok((token, claims))
    }

    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
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
    fn other_secret_and_alg_none_are_rejected() {
        let (token, _) = signer().sign("t1", "x", Scope::Admin, Duration::from_secs(60)).expect("sign");
        assert_eq!(TokenSigner::new(&[8u8; 64]).verify(&token).err(), Some(TokenError::Invalid));
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload = token.split('.').nth(1).expect("payload");
        let none = format!("{}.{}.", b64.encode(br#"{"alg":"none","typ":"JWT"}"#), payload);
        assert_eq!(signer().verify(&none).err(), Some(TokenError::Invalid));
    }
}
