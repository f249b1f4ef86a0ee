//! Which requests the UDP receiver thread handles itself instead of handing them to a task.
//!
//! A task per request costs a spawn and, on a lightly loaded node, the wake-up of a parked
//! runtime thread to run it: at a few thousand REGISTER/s that hand-off cost more CPU than
//! the registration. A REGISTER is answered from memory (a challenge, or a refreshed
//! binding), so the receiver runs it until it would wait (a new binding written through to
//! the store) and only then hands the rest to a task. When datagrams queue up behind the
//! receiver, requests go to tasks again so that both runtime threads share the work.

use std::future::Future;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::sip::transport::Proto;

/// How long a datagram may have waited for the receiver and still be handled by it.
pub const MAX_WAIT: Duration = Duration::from_millis(2);

/// Whether the UDP receiver handles this request itself.
pub fn in_loop(proto: Proto, bytes: &[u8], waited: Duration) -> bool {
    proto == Proto::Udp && bytes.starts_with(b"REGISTER ") && waited < MAX_WAIT
}

/// Polls `work` once here; if it has to wait, the rest runs as a task. A future polled
/// again in the task registers the task's waker then (what it waits for is state, not
/// the wake-up it missed), so nothing is lost by the first poll's waker doing nothing.
pub fn run<F: Future<Output = ()> + Send + 'static>(work: F) {
    let mut work = Box::pin(work);
    let mut cx = Context::from_waker(Waker::noop());
    if let Poll::Pending = work.as_mut().poll(&mut cx) {
        tokio::spawn(work);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_udp_registers_that_did_not_queue_stay_in_the_loop() {
        let now = Duration::ZERO;
        assert!(in_loop(Proto::Udp, b"REGISTER sip:pbx SIP/2.0\r\n", now));
        assert!(!in_loop(Proto::Udp, b"INVITE sip:1002@pbx SIP/2.0\r\n", now), "a call's work goes to a task");
        assert!(!in_loop(Proto::Tcp, b"REGISTER sip:pbx SIP/2.0\r\n", now), "a stream has its own reader task");
        assert!(!in_loop(Proto::Udp, b"REGISTER sip:pbx SIP/2.0\r\n", MAX_WAIT), "a backlog is shared out");
    }

    #[tokio::test]
    async fn work_that_has_to_wait_finishes_in_a_task() {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel::<u32>();
        run(async move {
            let n = rx.await.unwrap_or(0);
            let _ = done_tx.send(n + 1);
        });
        tx.send(41).expect("the work waits for it");
        assert_eq!(done_rx.await.expect("the work finished"), 42);
    }

    #[tokio::test]
    async fn work_that_needs_no_wait_is_done_before_run_returns() {
        let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let set = flag.clone();
        run(async move { set.store(true, std::sync::atomic::Ordering::SeqCst) });
        assert!(flag.load(std::sync::atomic::Ordering::SeqCst));
    }
}
