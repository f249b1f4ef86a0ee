//! A NAT lab in network namespaces (as root): phones in private LANs that all use the same
//! subnet, each behind its own NAT router (nft masquerade), and Callplane on a bridge in
//! this namespace. Addresses come from the benchmarking range (RFC 2544, 198.18.0.0/15),
//! used only inside the namespaces and bridge made here and removed on drop.

use std::net::IpAddr;
use std::process::Command;

/// Every phone's own address, in every LAN (they all look alike from the inside).
pub const LAN_IP: &str = "198.19.1.2";

pub struct NatLab {
    tag: String,
    lans: usize,
    /// Callplane's address on the public side.
    pub public: IpAddr,
    subnet: u8,
}

fn run(args: &[&str]) {
    let out = Command::new(args[0]).args(&args[1..]).output().unwrap_or_else(|e| panic!("{}: {e}", args.join(" ")));
    assert!(out.status.success(), "`{}` failed (the NAT lab needs root and nftables): {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
}

impl NatLab {
    /// Builds `lans` LANs, each with one NAT router, on a bridge of its own.
    pub fn build(lans: usize) -> NatLab {
        // Unique per lab: several labs of one process (tests in one binary) coexist.
        static LABS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = LABS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pid = std::process::id();
        let tag = format!("c{}{}", pid % 100_000, n % 10);
        let subnet = ((pid + n * 7) % 250) as u8 + 1;
        let lab = NatLab { tag: tag.clone(), lans, public: IpAddr::from([198, 18, subnet, 1]), subnet };
        let br = lab.bridge();
        run(&["ip", "link", "add", &br, "type", "bridge"]);
        run(&["ip", "addr", "add", &format!("198.18.{subnet}.1/24"), "dev", &br]);
        run(&["ip", "link", "set", &br, "up"]);
        for i in 1..=lans {
            let (lan, nat) = (lab.lan(i), lab.nat(i));
            let (w, wr, l, lr) = (format!("{tag}w{i}"), format!("{tag}x{i}"), format!("{tag}l{i}"), format!("{tag}y{i}"));
            run(&["ip", "netns", "add", &lan]);
            run(&["ip", "netns", "add", &nat]);
            run(&["ip", "link", "add", &w, "type", "veth", "peer", "name", &wr]);
            run(&["ip", "link", "set", &w, "master", &br, "up"]);
            run(&["ip", "link", "set", &wr, "netns", &nat]);
            run(&["ip", "link", "add", &l, "type", "veth", "peer", "name", &lr]);
            run(&["ip", "link", "set", &l, "netns", &lan]);
            run(&["ip", "link", "set", &lr, "netns", &nat]);
            run(&["ip", "-n", &nat, "addr", "add", &format!("198.18.{subnet}.{}/24", 1 + i), "dev", &wr]);
            run(&["ip", "-n", &nat, "link", "set", &wr, "up"]);
            run(&["ip", "-n", &nat, "link", "set", "lo", "up"]);
            run(&["ip", "-n", &nat, "addr", "add", "198.19.1.1/24", "dev", &lr]);
            run(&["ip", "-n", &nat, "link", "set", &lr, "up"]);
            run(&["ip", "netns", "exec", &nat, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
            run(&["ip", "netns", "exec", &nat, "nft", "add", "table", "ip", "nat"]);
            run(&["ip", "netns", "exec", &nat, "nft", "add chain ip nat post { type nat hook postrouting priority 100 ; }"]);
            run(&["ip", "netns", "exec", &nat, "nft", "add", "rule", "ip", "nat", "post", "oifname", &wr, "masquerade"]);
            run(&["ip", "-n", &lan, "addr", "add", &format!("{LAN_IP}/24"), "dev", &l]);
            run(&["ip", "-n", &lan, "link", "set", &l, "up"]);
            run(&["ip", "-n", &lan, "link", "set", "lo", "up"]);
            run(&["ip", "-n", &lan, "route", "add", "default", "via", "198.19.1.1"]);
        }
        lab
    }

    fn bridge(&self) -> String {
        format!("{}br", self.tag)
    }

    /// The namespace of LAN `i` (from 1).
    pub fn lan(&self, i: usize) -> String {
        format!("{}lan{i}", self.tag)
    }

    fn nat(&self, i: usize) -> String {
        format!("{}nat{i}", self.tag)
    }

    /// LAN `i`'s router silently drops everything it would forward (a NAT mapping gone,
    /// a phone unplugged): no answer, no ICMP.
    pub fn drop_traffic(&self, i: usize) {
        let nat = self.nat(i);
        run(&["ip", "netns", "exec", &nat, "nft", "add", "table", "ip", "cut"]);
        run(&["ip", "netns", "exec", &nat, "nft", "add chain ip cut silence { type filter hook forward priority -10 ; policy drop ; }"]);
    }

    /// The address LAN `i`'s traffic comes from on the public side (its NAT router).
    pub fn nat_address(&self, i: usize) -> IpAddr {
        IpAddr::from([198, 18, self.subnet, 1 + i as u8])
    }
}

impl Drop for NatLab {
    fn drop(&mut self) {
        for i in 1..=self.lans {
            let _ = Command::new("ip").args(["netns", "del", &self.lan(i)]).status();
            let _ = Command::new("ip").args(["netns", "del", &self.nat(i)]).status();
        }
        let _ = Command::new("ip").args(["link", "del", &self.bridge()]).status();
    }
}
