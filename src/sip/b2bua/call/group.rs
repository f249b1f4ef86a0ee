//! Ring groups: simultaneous, sequential and round-robin rounds within the group's timeout
//! (the rounds themselves are decided in `routing.rs`).

use std::time::Duration;

use chrono::Utc;

use super::super::routing::{self, ForkEnd, RingEnd};
use super::Call;
use crate::model::ring_group::RingStrategy;
use crate::sip::registrar::binding::Binding;

impl Call {
    /// Rings a ring group's members: all at once (simultaneous) or one after another for
    /// `member_timeout_s` each (sequential, round-robin starting after the last answerer),
    /// within the group's `timeout_s`. `None` when nobody answered: the fallback applies.
    pub(super) async fn ring_group_members(&mut self, g: &crate::model::ring_group::RingGroup) -> Option<RingEnd> {
        let started = tokio::time::Instant::now();
        let total = Duration::from_secs(u64::from(g.timeout_s));
        let rounds = routing::group_rounds(g, self.env.calls.next_round_robin(&g.id, g.members.len()));
        for (members, timeout) in rounds {
            let left = total.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            let now = Utc::now();
            let bindings: Vec<(String, Binding)> = members
                .iter()
                .flat_map(|m| self.env.registrar.reachable(m, now).into_iter().map(move |b| (m.clone(), b)))
                .collect();
            if bindings.is_empty() {
                continue;
            }
            match self.fork(bindings, timeout.min(left)).await {
                ForkEnd::Answered(leg) => {
                    if g.strategy == RingStrategy::RoundRobin {
                        if let Some(i) = g.members.iter().position(|m| *m == *self.forks[leg].number) {
                            self.env.calls.set_round_robin(&g.id, i + 1);
                        }
                    }
                    return Some(RingEnd::Answered(leg));
                }
                ForkEnd::Cancelled => return Some(RingEnd::Cancelled),
                ForkEnd::Busy | ForkEnd::NoAnswer | ForkEnd::Redirect(_) | ForkEnd::Failed(..) => {}
            }
        }
        None
    }
}
