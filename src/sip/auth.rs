//! Digest authentication of SIP requests (RFC 3261 section 22, RFC 8760).
//!
//! Nonces carry their own issue time and an HMAC over it, so they are verified without
//! server state; only the highest nonce-count seen per nonce is remembered, to refuse
//! replays, in a fixed ring of slots (`nonce_counts.rs`).

use std::time::Duration;

use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use super::nonce_counts::{Count, NonceCounts};
use super::wire::digest::{Algorithm, Credentials, same_digest};

type HmacSha256 = Hmac<Sha256>;

/// 2^20 nonce-count slots (8 MiB): a nonce stays usable until a million newer ones were
/// issued, about 5 minutes at 3,500 challenges per second; after that, a stale challenge.
const NONCE_SLOTS_BITS: u32 = 20;

pub struct DigestAuth {
    realm: String,
    /// Challenges offered, in order (RFC 8760 section 2.4).
    algorithms: Vec<Algorithm>,
    key: Vec<u8>,
    nonce_ttl: Duration,
    /// Highest `nc` seen per nonce.
    counts: NonceCounts,
}

/// What checking the credentials of a request concluded.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Authenticated,
    /// No usable credentials for our realm: challenge.
    Challenge,
    /// The nonce is ours but expired: challenge again with `stale=true` (RFC 2617 3.2.1).
    Stale,
    /// Wrong password, unknown user, replayed nonce-count or foreign nonce.
    Failed,
}

impl DigestAuth {
    pub fn new(realm: String, algorithms: Vec<Algorithm>, key: &[u8], nonce_ttl: Duration) -> Self {
        let algorithms = if algorithms.is_empty() { vec![Algorithm::Md5] } else { algorithms };
        Self { realm, algorithms, key: key.to_vec(), nonce_ttl, counts: NonceCounts::new(NONCE_SLOTS_BITS, rand::random()) }
    }

    pub fn realm(&self) -> &str {
        &self.realm
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    fn mac(&self, data: &[u8]) -> [u8; 32] {
        let mut mac = <HmacSha256 as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| {
            // HMAC accepts keys of any length; this branch cannot be taken.
            <HmacSha256 as Mac>::new_from_slice(b"callplane").expect("fixed key")
        });
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// `base64url(issued_at ‖ sequence ‖ random ‖ HMAC(issued_at ‖ sequence ‖ random)[..16])`.
    pub fn new_nonce(&self) -> String {
        self.nonce_at(Self::now())
    }

    fn nonce_at(&self, issued: i64) -> String {
        let mut data = [0u8; 32];
        data[..8].copy_from_slice(&issued.to_be_bytes());
        data[8..12].copy_from_slice(&self.counts.issue().to_be_bytes());
        rand::rng().fill_bytes(&mut data[12..16]);
        let tag = self.mac(&data[..16]);
        data[16..].copy_from_slice(&tag[..16]);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    }

    /// `Some((age, sequence))` for a nonce this server's key made, `None` for anything else.
    fn nonce_age(&self, nonce: &str) -> Option<(i64, u32)> {
        let mut data = [0u8; 32];
        match base64::engine::general_purpose::URL_SAFE_NO_PAD.decode_slice(nonce, &mut data) {
            Ok(32) => {}
            _ => return None,
        }
        let tag = self.mac(&data[..16]);
        // Compared in constant time: how much of a forged tag matched must not show.
        if tag[..16].iter().zip(&data[16..]).fold(0u8, |acc, (a, b)| acc | (a ^ b)) != 0 {
            return None;
        }
        let issued = i64::from_be_bytes(data[..8].try_into().ok()?);
        let sequence = u32::from_be_bytes(data[8..12].try_into().ok()?);
        Some((Self::now() - issued, sequence))
    }

    /// Whether `nonce` is one this server issued, still fresh, and not used by any request
    /// yet: the request carrying it answers a challenge sent moments ago. Cheap (one HMAC,
    /// no password), for overload admission to favour calls already under way; a replayed
    /// or made-up nonce does not pass.
    pub fn opens_challenge(&self, nonce: &str) -> bool {
        self.nonce_age(nonce).is_some_and(|(age, sequence)| (0..=self.nonce_ttl.as_secs() as i64).contains(&age) && self.counts.unused(sequence))
    }

    /// `WWW-Authenticate` / `Proxy-Authenticate` values, one per algorithm.
    pub fn challenges(&self, stale: bool) -> Vec<String> {
        let nonce = self.new_nonce();
        self.algorithms
            .iter()
            .map(|a| {
                let mut c = format!(
                    "Digest realm=\"{}\", nonce=\"{nonce}\", algorithm={}, qop=\"auth\"",
                    self.realm,
                    a.name()
                );
                if stale {
                    c.push_str(", stale=true");
                }
                c
            })
            .collect()
    }

    /// Checks `credentials` of a `method` request for `user` whose password is `password`
    /// (`None`: unknown user, which fails exactly like a wrong password).
    pub fn verify(&self, credentials: &Credentials, method: &str, user: &str, password: Option<&str>) -> Verdict {
        if credentials.realm != self.realm {
            return Verdict::Challenge;
        }
        let Some((age, sequence)) = self.nonce_age(&credentials.nonce) else {
            return Verdict::Challenge;
        };
        let algorithm = match credentials.algorithm.as_deref() {
            None => Algorithm::Md5,
            Some(name) => match Algorithm::from_name(name) {
                Some(a) => a,
                None => return Verdict::Challenge,
            },
        };
        if credentials.qop.as_deref().is_some_and(|q| q != "auth") {
            return Verdict::Challenge;
        }
        // Compute the digest even for unknown users so both take the same time.
        let expected = credentials.expected_response(algorithm, method, password.unwrap_or("\u{0}unknown-user"));
        let matches = password.is_some() && credentials.username == user && same_digest(&expected, &credentials.response);
        if !matches {
            return Verdict::Failed;
        }
        if age > self.nonce_ttl.as_secs() as i64 || age < -5 {
            return Verdict::Stale;
        }
        if let Some(nc) = credentials.nc {
            match self.counts.check(sequence, nc) {
                Count::Fresh => {}
                Count::Replayed => return Verdict::Failed,
                Count::Evicted => return Verdict::Stale,
            }
        }
        Verdict::Authenticated
    }

    #[cfg(test)]
    fn old_nonce(&self, age: i64) -> String {
        self.nonce_at(Self::now() - age)
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn creds(auth: &DigestAuth, nonce: &str, password: &str, nc: u32, algorithm: Algorithm) -> Credentials {
        let mut c = Credentials {
            username: "1001".into(),
            realm: auth.realm().into(),
            nonce: nonce.into(),
            uri: "sip:pbx".into(),
            response: String::new(),
            algorithm: Some(algorithm.name().into()),
            qop: Some("auth".into()),
            cnonce: Some("abc".into()),
            nc: Some(nc),
            opaque: None,
        };
        c.response = c.expected_response(algorithm, "REGISTER", password);
        c
    }

    #[test]
    fn verifies_md5_and_sha256_and_refuses_replays() {
        let auth = DigestAuth::new("callplane".into(), vec![Algorithm::Md5], b"k", Duration::from_secs(300));
        for alg in [Algorithm::Md5, Algorithm::Sha256] {
            let nonce = auth.new_nonce();
            let c = creds(&auth, &nonce, "pw", 1, alg);
            assert_eq!(auth.verify(&c, "REGISTER", "1001", Some("pw")), Verdict::Authenticated);
            assert_eq!(auth.verify(&c, "REGISTER", "1001", Some("pw")), Verdict::Failed, "replayed nc");
            let c2 = creds(&auth, &nonce, "pw", 2, alg);
            assert_eq!(auth.verify(&c2, "REGISTER", "1001", Some("pw")), Verdict::Authenticated);
        }
    }

    #[test]
    fn only_a_fresh_unused_nonce_of_ours_opens_a_challenge() {
        let auth = DigestAuth::new("callplane".into(), vec![Algorithm::Md5], b"k", Duration::from_secs(300));
        let nonce = auth.new_nonce();
        assert!(auth.opens_challenge(&nonce));
        let c = creds(&auth, &nonce, "pw", 1, Algorithm::Md5);
        assert_eq!(auth.verify(&c, "REGISTER", "1001", Some("pw")), Verdict::Authenticated);
        assert!(!auth.opens_challenge(&nonce), "used: a replay does not count as a call under way");
        let other = DigestAuth::new("callplane".into(), vec![], b"other key", Duration::from_secs(300));
        assert!(!auth.opens_challenge(&other.new_nonce()), "not ours");
        assert!(!auth.opens_challenge(&auth.old_nonce(3600)), "expired");
        assert!(!auth.opens_challenge("not-a-nonce"));
    }

    #[test]
    fn wrong_password_unknown_user_forged_and_stale_nonces() {
        let auth = DigestAuth::new("callplane".into(), vec![Algorithm::Md5], b"k", Duration::from_secs(300));
        let nonce = auth.new_nonce();
        let c = creds(&auth, &nonce, "wrong", 1, Algorithm::Md5);
        assert_eq!(auth.verify(&c, "REGISTER", "1001", Some("pw")), Verdict::Failed);
        assert_eq!(auth.verify(&c, "REGISTER", "1001", None), Verdict::Failed);
        let other = DigestAuth::new("callplane".into(), vec![], b"other key", Duration::from_secs(300));
        let forged = creds(&auth, &other.new_nonce(), "pw", 1, Algorithm::Md5);
        assert_eq!(auth.verify(&forged, "REGISTER", "1001", Some("pw")), Verdict::Challenge);
        let old = creds(&auth, &auth.old_nonce(3600), "pw", 1, Algorithm::Md5);
        assert_eq!(auth.verify(&old, "REGISTER", "1001", Some("pw")), Verdict::Stale);
    }
}
