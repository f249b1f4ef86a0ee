//! SIP security state shared with the fail-to-ban machinery.

pub mod failures;
