//! Identifiers Callplane generates: branches (RFC 3261 section 8.1.1.7), tags (section
//! 19.3) and Call-IDs (section 8.1.1.4).

use crate::sip::consts::BRANCH_MAGIC;

pub fn new_branch() -> String {
    use rand::Rng;
    format!("{BRANCH_MAGIC}{:016x}", rand::rng().random::<u64>())
}

pub fn new_call_id() -> String {
    format!("{}@callplane", uuid::Uuid::new_v4().simple())
}

/// A fresh To tag.
pub fn new_tag() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}
