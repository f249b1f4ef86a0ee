//! HTTP Digest for SIP (RFC 2617 / RFC 8760): credentials parsing with qop lists and hex
//! `nc`, and the response computation for MD5 and SHA-256.

use md5::Digest as _;

use super::header::{split_commas, unquote};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    pub fn from_name(s: &str) -> Option<Algorithm> {
        match s.to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "SHA-256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    pub fn hash(self, data: &str) -> String {
        match self {
            Algorithm::Md5 => hex(&md5::Md5::digest(data.as_bytes())),
            Algorithm::Sha256 => hex(&sha2::Sha256::digest(data.as_bytes())),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The parameters of an `Authorization: Digest ...` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub realm: String,
    pub nonce: String,
    pub uri: String,
    pub response: String,
    pub algorithm: Option<String>,
    pub qop: Option<String>,
    pub cnonce: Option<String>,
    /// Nonce count, parsed as the hexadecimal number it is.
    pub nc: Option<u32>,
    pub opaque: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CredentialsError {
    #[error("not a Digest credential")]
    NotDigest,
    #[error("missing `{0}`")]
    Missing(&'static str),
    #[error("invalid `{0}`")]
    Invalid(&'static str),
}

impl Credentials {
    pub fn parse(value: &str) -> Result<Credentials, CredentialsError> {
        let value = value.trim();
        let (scheme, rest) = value.split_once(char::is_whitespace).ok_or(CredentialsError::NotDigest)?;
        if !scheme.eq_ignore_ascii_case("Digest") {
            return Err(CredentialsError::NotDigest);
        }
        let mut c = Credentials::default();
        let (mut username, mut realm, mut nonce, mut uri, mut response) = (None, None, None, None, None);
        for part in split_commas(rest) {
            let Some((k, v)) = part.split_once('=') else { continue };
            let v = unquote(v);
            match k.trim().to_ascii_lowercase().as_str() {
                "username" => username = Some(v),
                "realm" => realm = Some(v),
                "nonce" => nonce = Some(v),
                "uri" => uri = Some(v),
                "response" => response = Some(v),
                "algorithm" => c.algorithm = Some(v),
                "qop" => c.qop = Some(v),
                "cnonce" => c.cnonce = Some(v),
                "nc" => c.nc = Some(u32::from_str_radix(&v, 16).map_err(|_| CredentialsError::Invalid("nc"))?),
                "opaque" => c.opaque = Some(v),
                _ => {}
            }
        }
        c.username = username.ok_or(CredentialsError::Missing("username"))?;
        c.realm = realm.ok_or(CredentialsError::Missing("realm"))?;
        c.nonce = nonce.ok_or(CredentialsError::Missing("nonce"))?;
        c.uri = uri.ok_or(CredentialsError::Missing("uri"))?;
        c.response = response.ok_or(CredentialsError::Missing("response"))?;
        if c.qop.is_some() && (c.cnonce.is_none() || c.nc.is_none()) {
            return Err(CredentialsError::Missing("cnonce/nc"));
        }
        Ok(c)
    }

    /// The response a client knowing `password` computes for `method`.
    pub fn expected_response(&self, algorithm: Algorithm, method: &str, password: &str) -> String {
        let ha1 = algorithm.hash(&format!("{}:{}:{}", self.username, self.realm, password));
        let ha2 = algorithm.hash(&format!("{method}:{}", self.uri));
        match (&self.qop, &self.cnonce, self.nc) {
            (Some(qop), Some(cnonce), Some(nc)) => {
                algorithm.hash(&format!("{ha1}:{}:{nc:08x}:{cnonce}:{qop}:{ha2}", self.nonce))
            }
            _ => algorithm.hash(&format!("{ha1}:{}:{ha2}", self.nonce)),
        }
    }
}

/// Constant-time comparison of two response digests.
pub fn same_digest(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x.to_ascii_lowercase() ^ y.to_ascii_lowercase())) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2617 section 3.5's worked example (HTTP, MD5, qop=auth).
    #[test]
    fn rfc2617_example() {
        let c = Credentials::parse(
            r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .expect("credentials");
        assert_eq!(c.expected_response(Algorithm::Md5, "GET", "Circle Of Life"), c.response);
    }

    #[test]
    fn hex_nc_and_qop() {
        let c = Credentials::parse(r#"Digest username="a", realm="r", nonce="n", uri="sip:r", response="x", qop=auth, nc=0000000a, cnonce="c""#)
            .expect("credentials");
        assert_eq!(c.nc, Some(10));
        assert!(Credentials::parse(r#"Digest username="a", realm="r", nonce="n", uri="sip:r", response="x", qop=auth"#).is_err());
        assert_eq!(Credentials::parse("Basic abc"), Err(CredentialsError::NotDigest));
    }
}

/// A `WWW-Authenticate` / `Proxy-Authenticate` Digest challenge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub algorithm: Option<String>,
    /// The qop options offered (`auth`, `auth-int`).
    pub qop: Vec<String>,
    pub opaque: Option<String>,
    pub stale: bool,
}

impl Challenge {
    pub fn parse(value: &str) -> Option<Challenge> {
        let (scheme, rest) = value.trim().split_once(char::is_whitespace)?;
        if !scheme.eq_ignore_ascii_case("Digest") {
            return None;
        }
        let mut c = Challenge::default();
        for part in split_commas(rest) {
            let Some((k, v)) = part.split_once('=') else { continue };
            let v = unquote(v);
            match k.trim().to_ascii_lowercase().as_str() {
                "realm" => c.realm = v,
                "nonce" => c.nonce = v,
                "algorithm" => c.algorithm = Some(v),
                "qop" => c.qop = v.split(',').map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()).collect(),
                "opaque" => c.opaque = Some(v),
                "stale" => c.stale = v.eq_ignore_ascii_case("true"),
                _ => {}
            }
        }
        if c.nonce.is_empty() { None } else { Some(c) }
    }

    /// The `Authorization` value answering this challenge for `method` on `uri`.
    pub fn answer(&self, method: &str, uri: &str, username: &str, password: &str, cnonce: &str, nc: u32) -> Option<String> {
        let algorithm = match &self.algorithm {
            None => Algorithm::Md5,
            Some(a) => Algorithm::from_name(a)?,
        };
        let qop = self.qop.iter().any(|q| q == "auth").then(|| "auth".to_owned());
        let mut creds = Credentials {
            username: username.to_owned(),
            realm: self.realm.clone(),
            nonce: self.nonce.clone(),
            uri: uri.to_owned(),
            response: String::new(),
            algorithm: self.algorithm.clone(),
            qop: qop.clone(),
            cnonce: qop.as_ref().map(|_| cnonce.to_owned()),
            nc: qop.as_ref().map(|_| nc),
            opaque: self.opaque.clone(),
        };
        creds.response = creds.expected_response(algorithm, method, password);
        let mut v = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{}\", algorithm={}",
            creds.username,
            creds.realm,
            creds.nonce,
            creds.uri,
            creds.response,
            algorithm.name()
        );
        if let (Some(q), Some(cn), Some(n)) = (&creds.qop, &creds.cnonce, creds.nc) {
            v.push_str(&format!(", qop={q}, nc={n:08x}, cnonce=\"{cn}\""));
        }
        if let Some(o) = &creds.opaque {
            v.push_str(&format!(", opaque=\"{o}\""));
        }
        Some(v)
    }
}

#[cfg(test)]
mod challenge_tests {
    use super::*;

    #[test]
    fn answers_verify_with_our_own_check() {
        let c = Challenge::parse(r#"Digest realm="carrier", nonce="abc", qop="auth,auth-int", algorithm=MD5, opaque="o1""#).expect("challenge");
        assert_eq!(c.qop, ["auth", "auth-int"]);
        let answer = c.answer("REGISTER", "sip:carrier.example", "u1", "pw", "cn", 1).expect("answer");
        let creds = Credentials::parse(&answer).expect("parses back");
        assert_eq!(creds.expected_response(Algorithm::Md5, "REGISTER", "pw"), creds.response);
        assert_eq!(creds.opaque.as_deref(), Some("o1"));
    }
}
