//! Banned source addresses: checked for every datagram and connection before parsing, so
//! the check is one concurrent-map lookup (no lock shared by all sources, no database).

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use dashmap::DashMap;

pub use crate::model::ban::Ban;


#[derive(Default)]
pub struct BanList {
    bans: DashMap<IpAddr, Ban>,
}

impl BanList {
    /// Whether `ip` is banned now (an expired ban no longer counts, even before the sweep).
    /// Without bans this is one length check: no clock read, no map lookup.
    pub fn is_banned(&self, ip: IpAddr) -> bool {
        !self.bans.is_empty() && self.bans.get(&ip).is_some_and(|b| b.until > Utc::now())
    }

    /// Adds or replaces a ban; returns whether the address was not banned before.
    pub fn insert(&self, ban: Ban) -> bool {
        self.bans.insert(ban.ip, ban).is_none()
    }

    pub fn remove(&self, ip: IpAddr) -> Option<Ban> {
        self.bans.remove(&ip).map(|(_, b)| b)
    }

    pub fn get(&self, ip: IpAddr) -> Option<Ban> {
        self.bans.get(&ip).map(|b| b.clone())
    }

    /// Removes and returns the bans that ended by `now`.
    pub fn take_expired(&self, now: DateTime<Utc>) -> Vec<Ban> {
        let ended: Vec<IpAddr> = self.bans.iter().filter(|b| b.until <= now).map(|b| b.ip).collect();
        ended.into_iter().filter_map(|ip| self.bans.remove_if(&ip, |_, b| b.until <= now).map(|(_, b)| b)).collect()
    }

    pub fn all(&self) -> Vec<Ban> {
        let mut all: Vec<Ban> = self.bans.iter().map(|b| b.clone()).collect();
        all.sort_by(|a, b| a.ip.cmp(&b.ip));
        all
    }

    pub fn len(&self) -> usize {
        self.bans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bans.is_empty()
    }
}
