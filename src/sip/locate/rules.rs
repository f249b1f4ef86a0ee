//! The decisions of RFC 3263 (locating SIP servers) and RFC 2782 (SRV), as pure functions
//! of the DNS answers: which NAPTR services to follow in which order, which SRV names to
//! ask when there is no NAPTR, and the order SRV targets are tried in.

use crate::sip::transport::Proto;

/// A NAPTR record as RFC 3263 section 4.1 reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naptr {
    pub order: u16,
    pub preference: u16,
    pub flags: String,
    pub services: String,
    pub replacement: String,
}

/// An SRV record (RFC 2782).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: String,
}

/// The transport a NAPTR service field names, among those Callplane speaks (RFC 3263
/// section 4.1: `SIP+D2U`, `SIP+D2T`, `SIPS+D2T`; RFC 3261 section 26.2 for SIPS).
pub fn service_transport(services: &str) -> Option<Proto> {
    match services.to_ascii_uppercase().as_str() {
        "SIP+D2U" => Some(Proto::Udp),
        "SIP+D2T" => Some(Proto::Tcp),
        "SIPS+D2T" => Some(Proto::Tls),
        _ => None,
    }
}

/// RFC 3263 section 4.1: the NAPTR records whose flag is `s` and whose service is a
/// transport we speak, in `order` then `preference` (lowest first), as (transport, SRV
/// name). With `only`, just that transport.
pub fn naptr_choices(records: &[Naptr], only: Option<Proto>) -> Vec<(Proto, String)> {
    let mut usable: Vec<&Naptr> = records
        .iter()
        .filter(|r| r.flags.eq_ignore_ascii_case("s") && service_transport(&r.services).is_some_and(|p| only.is_none_or(|o| o == p)))
        .collect();
    usable.sort_by_key(|r| (r.order, r.preference));
    usable.iter().filter_map(|r| service_transport(&r.services).map(|p| (p, r.replacement.trim_end_matches('.').to_owned()))).collect()
}

/// RFC 3263 section 4.1 without NAPTR records (and section 4.2 with a transport): the SRV
/// names to ask, one per transport.
pub fn srv_names(domain: &str, only: Option<Proto>) -> Vec<(Proto, String)> {
    let all = [Proto::Udp, Proto::Tcp, Proto::Tls];
    all.into_iter().filter(|p| only.is_none_or(|o| o == *p)).map(|p| (p, srv_name(domain, p))).collect()
}

fn srv_name(domain: &str, proto: Proto) -> String {
    match proto {
        Proto::Udp => format!("_sip._udp.{domain}"),
        Proto::Tcp => format!("_sip._tcp.{domain}"),
        Proto::Tls => format!("_sips._tcp.{domain}"),
    }
}

/// The port of a transport when neither the URI nor SRV gives one (RFC 3261 section 19.1.2).
pub fn default_port(proto: Proto) -> u16 {
    if proto == Proto::Tls { 5061 } else { 5060 }
}

/// RFC 2782: SRV targets in the order to try them. Lowest priority first; within one
/// priority, a weighted random order (records of weight 0 first, then a running sum picked
/// by `pick(total)`, which returns a number in `0..=total`). A lone `.` target means the
/// service is not offered: no targets.
pub fn srv_order(mut records: Vec<Srv>, mut pick: impl FnMut(u32) -> u32) -> Vec<Srv> {
    if records.len() == 1 && records[0].target.trim_end_matches('.').is_empty() {
        return Vec::new();
    }
    records.sort_by_key(|r| (r.priority, r.weight));
    let mut ordered = Vec::with_capacity(records.len());
    while !records.is_empty() {
        let priority = records[0].priority;
        let mut same: Vec<Srv> = Vec::new();
        while records.first().is_some_and(|r| r.priority == priority) {
            same.push(records.remove(0));
        }
        while !same.is_empty() {
            let total: u32 = same.iter().map(|r| u32::from(r.weight)).sum();
            let chosen = pick(total);
            let mut running = 0u32;
            let index = same
                .iter()
                .position(|r| {
                    running += u32::from(r.weight);
                    running >= chosen
                })
                .unwrap_or(0);
            ordered.push(same.remove(index));
        }
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naptr(order: u16, preference: u16, services: &str, replacement: &str) -> Naptr {
        Naptr { order, preference, flags: "s".into(), services: services.into(), replacement: replacement.into() }
    }

    fn srv(priority: u16, weight: u16, port: u16, target: &str) -> Srv {
        Srv { priority, weight, port, target: target.into() }
    }

    // RFC 3263 section 4.1: order, then preference; unknown services are skipped.
    #[test]
    fn naptr_records_are_followed_by_order_then_preference() {
        let records = vec![
            naptr(20, 10, "SIP+D2U", "_sip._udp.example.com."),
            naptr(10, 20, "SIP+D2T", "_sip._tcp.example.com."),
            naptr(10, 10, "SIPS+D2T", "_sips._tcp.example.com."),
            naptr(5, 10, "SIP+D2S", "_sip._sctp.example.com."),
        ];
        assert_eq!(
            naptr_choices(&records, None),
            vec![(Proto::Tls, "_sips._tcp.example.com".into()), (Proto::Tcp, "_sip._tcp.example.com".into()), (Proto::Udp, "_sip._udp.example.com".into())]
        );
        assert_eq!(naptr_choices(&records, Some(Proto::Udp)), vec![(Proto::Udp, "_sip._udp.example.com".into())]);
        let unterminal = Naptr { flags: "a".into(), ..naptr(1, 1, "SIP+D2U", "x.example.com") };
        assert!(naptr_choices(&[unterminal], None).is_empty(), "only the `s` flag leads to SRV");
    }

    // RFC 3263 section 4.1: without NAPTR, one SRV query per transport.
    #[test]
    fn without_naptr_each_transport_has_its_srv_name() {
        assert_eq!(srv_names("example.com", Some(Proto::Tls)), vec![(Proto::Tls, "_sips._tcp.example.com".into())]);
        assert_eq!(srv_names("example.com", None).len(), 3);
        assert_eq!((default_port(Proto::Udp), default_port(Proto::Tls)), (5060, 5061));
    }

    // RFC 2782: lower priority first; weights share the order within a priority.
    #[test]
    fn srv_targets_go_by_priority_then_weight() {
        let records = vec![srv(20, 50, 5072, "b"), srv(10, 50, 5070, "a"), srv(10, 0, 5071, "z")];
        // The pick always takes the first eligible: weight 0 sorts first.
        let order: Vec<u16> = srv_order(records.clone(), |_| 0).iter().map(|r| r.port).collect();
        assert_eq!(order, vec![5071, 5070, 5072]);
        // A pick at the top of the sum takes the heaviest last one first.
        let order: Vec<u16> = srv_order(records, |total| total).iter().map(|r| r.port).collect();
        assert_eq!(order, vec![5070, 5071, 5072]);
        assert!(srv_order(vec![srv(0, 0, 0, ".")], |_| 0).is_empty(), "`.` means no service");
    }
}
