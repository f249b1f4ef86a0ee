//! Whether a call's media goes through the relay: pure rules with their tests.

use std::net::IpAddr;

use crate::model::media_mode::MediaMode;

/// What the policy knows of one party of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyMedia {
    /// The extension's or trunk's `media_mode`.
    pub mode: MediaMode,
    /// Its signalling came from another address than the one it advertises.
    pub behind_nat: bool,
    /// It is a trunk (a carrier or another PBX).
    pub trunk: bool,
    /// Its `recording` is `always`: only the relay can record, so the call must go through it.
    pub records_always: bool,
}

/// Relay when any party asks for it (`relay`) or must be recorded (`recording: always`,
/// whatever its `media_mode`); otherwise, when any party leaves it to Callplane (`auto`) and
/// a party is behind NAT or a trunk is involved; never when every party says `direct`.
pub fn relay(parties: &[PartyMedia]) -> bool {
    if parties.iter().any(|p| p.mode == MediaMode::Relay || p.records_always) {
        return true;
    }
    parties.iter().any(|p| p.mode == MediaMode::Auto) && parties.iter().any(|p| p.behind_nat || p.trunk)
}

/// A party is behind NAT when the address its request came from differs from an address it
/// advertises for itself: its Contact's host (RFC 3261 section 8.1.1.8) or its session's
/// connection address (RFC 4566 section 5.7). Host names say nothing and are ignored.
pub fn behind_nat(source: IpAddr, advertised: &[Option<IpAddr>]) -> bool {
    advertised.iter().flatten().any(|ip| !ip.is_unspecified() && *ip != source)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn party(mode: MediaMode, behind_nat: bool, trunk: bool) -> PartyMedia {
        PartyMedia { mode, behind_nat, trunk, records_always: false }
    }

    #[test]
    fn a_party_recorded_always_is_relayed_whatever_the_modes() {
        use MediaMode::*;
        let recorded = PartyMedia { records_always: true, ..party(Direct, false, false) };
        assert!(relay(&[recorded, party(Direct, false, false)]));
        assert!(relay(&[party(Auto, false, false), PartyMedia { records_always: true, ..party(Auto, false, false) }]));
    }

    #[test]
    fn auto_relays_for_nat_and_trunks_only() {
        use MediaMode::*;
        assert!(!relay(&[party(Auto, false, false), party(Auto, false, false)]));
        assert!(relay(&[party(Auto, true, false), party(Auto, false, false)]));
        assert!(relay(&[party(Auto, false, false), party(Auto, false, true)]));
    }

    #[test]
    fn relay_wins_and_direct_needs_everyone() {
        use MediaMode::*;
        assert!(relay(&[party(Relay, false, false), party(Direct, false, false)]));
        assert!(!relay(&[party(Direct, true, false), party(Direct, false, true)]));
        // One party leaves it to Callplane and the other is behind NAT: relay.
        assert!(relay(&[party(Direct, true, false), party(Auto, false, false)]));
    }

    #[test]
    fn nat_is_an_advertised_address_that_is_not_the_source() {
        let public: IpAddr = "198.18.0.2".parse().expect("ip");
        let private: IpAddr = "198.19.1.2".parse().expect("ip");
        assert!(behind_nat(public, &[Some(private), None]));
        assert!(behind_nat(public, &[Some(public), Some(private)]));
        assert!(!behind_nat(public, &[Some(public), None]));
        assert!(!behind_nat(public, &[None, None]));
        assert!(!behind_nat(public, &[Some("0.0.0.0".parse().expect("ip"))]));
    }
}
