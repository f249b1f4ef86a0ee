//! IP address blocks (CIDRs) for IP authentication, trunk source matching and whitelists.

use std::borrow::Cow;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use super::string_value::string_value;

/// An IP address or CIDR block; a bare address means a single host and is written back
/// bare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr(IpNet);

impl Cidr {
    pub fn net(&self) -> IpNet {
        self.0
    }

    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.0.contains(ip)
    }

    fn text(&self) -> Cow<'_, str> {
        if self.0.prefix_len() == self.0.max_prefix_len() {
            Cow::Owned(self.0.addr().to_string())
        } else {
            Cow::Owned(self.0.to_string())
        }
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let trimmed = value.trim();
        trimmed
            .parse::<IpNet>()
            .or_else(|_| trimmed.parse::<IpAddr>().map(IpNet::from))
            .map(Cidr)
            .map_err(|_| format!("`{value}` is not an IP address or CIDR block (e.g. 192.0.2.0/24)"))
    }
}

impl From<IpAddr> for Cidr {
    fn from(ip: IpAddr) -> Self {
        Cidr(IpNet::from(ip))
    }
}

string_value!(Cidr, "cidr", "An IP address or CIDR block, e.g. `192.0.2.7` or `198.51.100.0/24`.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs() {
        let host: Cidr = "192.0.2.7".parse().expect("address");
        assert_eq!(host.net().prefix_len(), 32);
        assert_eq!(host.to_string(), "192.0.2.7");
        let block: Cidr = "10.0.0.0/8".parse().expect("block");
        assert_eq!(block.to_string(), "10.0.0.0/8");
        assert!(block.contains(&"10.1.2.3".parse().expect("ip")));
        assert!("2001:db8::/32".parse::<Cidr>().is_ok());
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("office".parse::<Cidr>().is_err());
    }
}
