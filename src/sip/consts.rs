//! RFC 3261 constants, named once.

use std::time::Duration;

/// Round-trip time estimate (RFC 3261 section 17.1.1.1).
pub const T1: Duration = Duration::from_millis(500);
/// Maximum retransmit interval for non-INVITE requests and INVITE responses.
pub const T2: Duration = Duration::from_secs(4);
/// Maximum time a message remains in the network.
pub const T4: Duration = Duration::from_secs(5);
/// Timer J / F / B: 64*T1.
pub const TIMER_64T1: Duration = Duration::from_secs(32);

/// The branch prefix of RFC 3261-compliant transactions (section 8.1.1.7).
pub const BRANCH_MAGIC: &str = "z9hG4bK";

/// Largest SIP message accepted on any transport.
pub const MAX_MESSAGE_SIZE: usize = 64 * 1024;
/// Most header lines accepted in one message.
pub const MAX_HEADERS: usize = 256;
/// Requests larger than this go over TCP when the target allows it (RFC 3261 section 18.1.1).
pub const UDP_MTU_THRESHOLD: usize = 1300;

/// Methods Callplane implements, answered in `Allow` (in-dialog INFO, NOTIFY and UPDATE
/// are relayed to the other party; REFER transfers the call).
pub const ALLOW: &str = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, PRACK, UPDATE, INFO, NOTIFY, REFER, SUBSCRIBE";
pub const SUPPORTED: &str = "100rel, path, outbound, replaces, timer";
pub const ACCEPT: &str = "application/sdp";

/// Product name in `Server` and `User-Agent`.
pub const SERVER: &str = concat!("Callplane/", env!("CARGO_PKG_VERSION"));
