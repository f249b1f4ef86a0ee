//! API credentials: scopes, HS256 JWT signing and verification, the secret file.

pub mod jwt;
pub mod mint;
pub mod scope;
pub mod secret;
pub mod ttl;

pub use jwt::{Claims, TokenError, TokenSigner};
pub use scope::Scope;
