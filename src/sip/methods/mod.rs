//! One file per SIP method Callplane answers as an endpoint.

pub mod authenticate;
pub mod invite;
pub mod options;
pub mod register;
