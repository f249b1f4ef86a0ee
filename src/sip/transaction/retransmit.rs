//! The retransmission schedule shared by unacknowledged responses over UDP: final non-2xx
//! INVITE answers (timer G), 2xx answers to INVITE (RFC 3261 section 13.3.1.4) and reliable
//! provisional responses (RFC 3262 section 3): T1, 2·T1, 4·T1… capped at T2, until
//! acknowledged or 64·T1 have passed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::sip::consts::{T1, T2, TIMER_64T1};
use crate::sip::transport::{Source, Transports};

/// Resends `bytes` to `dest` on that schedule until `acknowledged` is set.
pub fn until_acknowledged(transports: Arc<Transports>, dest: Source, bytes: Vec<u8>, acknowledged: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let started = tokio::time::Instant::now();
        let mut interval = T1;
        loop {
            tokio::time::sleep(interval).await;
            if acknowledged.load(Ordering::Acquire) || started.elapsed() >= TIMER_64T1 {
                break;
            }
            let _ = transports.send(dest, bytes.clone()).await;
            interval = (interval * 2).min(T2);
        }
    });
}
