//! STUN binding (RFC 5389) on the SIP UDP port and, optionally, a port of its own: phones
//! ask Callplane for their public address. A datagram is STUN when its first two bits are
//! zero and its length field fits (RFC 5389 section 6; RFC 7983 section 7 for the
//! demultiplexing): a SIP message starts with a letter. Clients of the classic STUN
//! (RFC 3489, no magic cookie) are answered the way they understand (RFC 5389 section 12).

use std::net::{IpAddr, SocketAddr};

const MAGIC_COOKIE: u32 = 0x2112_A442;
const HEADER: usize = 20;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const BINDING_ERROR: u16 = 0x0111;
const XOR_MAPPED_ADDRESS: u16 = 0x0020;
const MAPPED_ADDRESS: u16 = 0x0001;
const RESPONSE_ADDRESS: u16 = 0x0002;
const CHANGE_REQUEST: u16 = 0x0003;
const SOURCE_ADDRESS: u16 = 0x0004;
const CHANGED_ADDRESS: u16 = 0x0005;
const ERROR_CODE: u16 = 0x0009;
const UNKNOWN_ATTRIBUTES: u16 = 0x000A;
const SOFTWARE: u16 = 0x8022;
const FINGERPRINT: u16 = 0x8028;
/// Comprehension-required attributes a binding request may carry that are understood:
/// RFC 3489's RESPONSE-ADDRESS (ignored: the answer goes to the source) and CHANGE-REQUEST
/// (a request to answer from another address gets no answer: there is none). USERNAME and
/// MESSAGE-INTEGRITY (authenticated STUN) are not offered.
const UNDERSTOOD: [u16; 2] = [RESPONSE_ADDRESS, CHANGE_REQUEST];

/// RFC 5389 section 6: two zero bits and a length that fits, in 4-byte units.
pub fn is_stun(datagram: &[u8]) -> bool {
    datagram.len() >= HEADER
        && datagram[0] & 0xC0 == 0
        && usize::from(u16::from_be_bytes([datagram[2], datagram[3]])) == datagram.len() - HEADER
        && datagram.len().is_multiple_of(4)
}

/// The answer to a STUN request from `source`: a binding success with its address
/// (XOR-MAPPED-ADDRESS, section 15.2), or 420 naming comprehension-required attributes it
/// does not know (section 7.3.1). `None` for anything that is not a binding request
/// (indications and responses get no answer).
pub fn answer(request: &[u8], source: SocketAddr, local: SocketAddr) -> Option<Vec<u8>> {
    if !is_stun(request) || u16::from_be_bytes([request[0], request[1]]) != BINDING_REQUEST {
        return None;
    }
    let classic = request[4..8] != MAGIC_COOKIE.to_be_bytes();
    let transaction: [u8; 12] = request[8..20].try_into().ok()?;
    let mut unknown = Vec::new();
    let mut at = HEADER;
    while at + 4 <= request.len() {
        let kind = u16::from_be_bytes([request[at], request[at + 1]]);
        let len = usize::from(u16::from_be_bytes([request[at + 2], request[at + 3]]));
        if kind == CHANGE_REQUEST && request.get(at + 4..at + 8).is_some_and(|flags| flags.iter().any(|b| *b != 0)) {
            return None;
        }
        if kind < 0x8000 && !UNDERSTOOD.contains(&kind) {
            unknown.push(kind);
        }
        at += 4 + len.div_ceil(4) * 4;
    }
    if classic {
        // RFC 3489 section 11.2.1: MAPPED-ADDRESS, SOURCE-ADDRESS, CHANGED-ADDRESS (there is
        // no other address: ours again); the whole 16 bytes after the type and length are
        // its transaction id.
        let attributes = [(MAPPED_ADDRESS, plain_address(source)), (SOURCE_ADDRESS, plain_address(local)), (CHANGED_ADDRESS, plain_address(local))];
        return Some(encode(BINDING_SUCCESS, &request[4..20], &attributes, false));
    }
    let mut attributes = Vec::new();
    let kind = if unknown.is_empty() {
        attributes.push((XOR_MAPPED_ADDRESS, xor_address(source, &transaction)));
        BINDING_SUCCESS
    } else {
        let mut error = vec![0, 0, 4, 20];
        error.extend_from_slice(b"Unknown Attribute");
        attributes.push((ERROR_CODE, error));
        attributes.push((UNKNOWN_ATTRIBUTES, unknown.iter().flat_map(|k| k.to_be_bytes()).collect()));
        BINDING_ERROR
    };
    attributes.push((SOFTWARE, b"Callplane".to_vec()));
    Some(encode(kind, &request[4..20], &attributes, true))
}

/// MAPPED-ADDRESS value (RFC 3489 section 11.2.1): family, port, address.
fn plain_address(addr: SocketAddr) -> Vec<u8> {
    let mut v = vec![0, if addr.is_ipv4() { 0x01 } else { 0x02 }];
    v.extend_from_slice(&addr.port().to_be_bytes());
    match addr.ip() {
        IpAddr::V4(ip) => v.extend_from_slice(&ip.octets()),
        IpAddr::V6(ip) => v.extend_from_slice(&ip.octets()),
    }
    v
}

/// XOR-MAPPED-ADDRESS value: family, port and address XORed with the cookie (and the
/// transaction id for IPv6).
fn xor_address(addr: SocketAddr, transaction: &[u8; 12]) -> Vec<u8> {
    let cookie = MAGIC_COOKIE.to_be_bytes();
    let port = addr.port() ^ (MAGIC_COOKIE >> 16) as u16;
    let mut v = vec![0];
    match addr.ip() {
        IpAddr::V4(ip) => {
            v.push(0x01);
            v.extend_from_slice(&port.to_be_bytes());
            v.extend(ip.octets().iter().zip(cookie.iter()).map(|(a, b)| a ^ b));
        }
        IpAddr::V6(ip) => {
            v.push(0x02);
            v.extend_from_slice(&port.to_be_bytes());
            let key: Vec<u8> = cookie.iter().chain(transaction.iter()).copied().collect();
            v.extend(ip.octets().iter().zip(key.iter()).map(|(a, b)| a ^ b));
        }
    }
    v
}

/// A STUN message with `attributes` (padded to 4 bytes) after the cookie and transaction
/// id (`id`, 16 bytes), and a FINGERPRINT (section 15.5) when `fingerprint`.
fn encode(kind: u16, id: &[u8], attributes: &[(u16, Vec<u8>)], fingerprint: bool) -> Vec<u8> {
    let mut body = Vec::new();
    for (t, value) in attributes {
        body.extend_from_slice(&t.to_be_bytes());
        body.extend_from_slice(&(value.len() as u16).to_be_bytes());
        body.extend_from_slice(value);
        body.resize(body.len().div_ceil(4) * 4, 0);
    }
    let trailer = if fingerprint { 8 } else { 0 };
    let mut msg = Vec::with_capacity(HEADER + body.len() + trailer);
    msg.extend_from_slice(&kind.to_be_bytes());
    msg.extend_from_slice(&((body.len() + trailer) as u16).to_be_bytes());
    msg.extend_from_slice(id);
    msg.extend_from_slice(&body);
    if !fingerprint {
        return msg;
    }
    let crc = crc32(&msg) ^ 0x5354_554E;
    msg.extend_from_slice(&FINGERPRINT.to_be_bytes());
    msg.extend_from_slice(&4u16.to_be_bytes());
    msg.extend_from_slice(&crc.to_be_bytes());
    msg
}

/// CRC-32 (ISO 3309, the one FINGERPRINT uses).
fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Answers binding requests on a port of STUN's own (`--stun-listen`) until the socket fails.
pub async fn serve(socket: tokio::net::UdpSocket) {
    let mut buf = [0u8; 1500];
    loop {
        match socket.recv_from(&mut buf).await {
            Ok((n, addr)) => {
                if let Some(reply) = answer(&buf[..n], addr, socket.local_addr().unwrap_or(addr)) {
                    let _ = socket.send_to(&reply, addr).await;
                }
            }
            Err(e) => tracing::debug!(error = %e, "STUN receive error"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(attributes: &[u8]) -> Vec<u8> {
        let mut r = vec![0x00, 0x01];
        r.extend_from_slice(&(attributes.len() as u16).to_be_bytes());
        r.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
        r.extend_from_slice(&[7; 12]);
        r.extend_from_slice(attributes);
        r
    }

    // RFC 5389 section 6 and RFC 7983: STUN and SIP on one port are told apart.
    #[test]
    fn stun_is_told_from_sip() {
        assert!(is_stun(&request(&[])));
        assert!(!is_stun(b"OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n\r\n"));
        assert!(!is_stun(&request(&[])[..19]));
    }

    // RFC 5389 section 15.2: the address comes back XORed with the magic cookie.
    #[test]
    fn a_binding_request_gets_the_source_address() {
        let source: SocketAddr = "192.0.2.33:40001".parse().expect("addr");
        let answer = answer(&request(&[]), source, local()).expect("answer");
        assert_eq!(&answer[0..2], &BINDING_SUCCESS.to_be_bytes());
        assert_eq!(&answer[8..20], &[7; 12], "same transaction");
        assert_eq!(&answer[20..22], &XOR_MAPPED_ADDRESS.to_be_bytes());
        let port = u16::from_be_bytes([answer[26], answer[27]]) ^ 0x2112;
        let ip: Vec<u8> = answer[28..32].iter().zip(MAGIC_COOKIE.to_be_bytes()).map(|(a, b)| a ^ b).collect();
        assert_eq!((port, ip), (40001, vec![192, 0, 2, 33]));
        // RFC 5389 section 15.5: the fingerprint is the CRC-32 of what precedes, XOR 0x5354554E.
        let n = answer.len();
        assert_eq!(u32::from_be_bytes([answer[n - 4], answer[n - 3], answer[n - 2], answer[n - 1]]), crc32(&answer[..n - 8]) ^ 0x5354_554E);
        assert_eq!(usize::from(u16::from_be_bytes([answer[2], answer[3]])), n - HEADER);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926, "the CRC-32 check value");
    }

    // RFC 5389 section 7.3.1: an unknown comprehension-required attribute gets 420.
    #[test]
    fn unknown_required_attributes_get_420() {
        let answer = answer(&request(&[0x00, 0x06, 0x00, 0x01, b'u', 0, 0, 0]), "192.0.2.1:5".parse().expect("addr"), local()).expect("answer");
        assert_eq!(&answer[0..2], &BINDING_ERROR.to_be_bytes());
        assert!(answer.windows(2).any(|w| w == [0x00, 0x06]), "the attribute is named");
        assert!(super::answer(&[0x01, 0x01, 0, 0, 0x21, 0x12, 0xA4, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], "192.0.2.1:5".parse().expect("addr"), local()).is_none(), "responses get no answer");
    }

    // RFC 5389 section 12 / RFC 3489 section 11.2.1: a classic request (no cookie) gets a
    // MAPPED-ADDRESS; a request to answer from another address gets none.
    #[test]
    fn classic_clients_get_a_plain_mapped_address() {
        let mut classic = vec![0x00, 0x01, 0x00, 0x08];
        classic.extend_from_slice(&[9; 16]);
        classic.extend_from_slice(&[0x00, 0x03, 0x00, 0x04, 0, 0, 0, 0]);
        let answer = answer(&classic, "198.51.100.7:4000".parse().expect("addr"), local()).expect("answer");
        assert_eq!(&answer[4..20], &[9; 16], "the 16-byte transaction id comes back");
        assert_eq!(&answer[20..32], &[0x00, 0x01, 0x00, 0x08, 0, 1, 0x0F, 0xA0, 198, 51, 100, 7]);
        classic[27] = 6;
        assert!(super::answer(&classic, "198.51.100.7:4000".parse().expect("addr"), local()).is_none(), "no other address to answer from");
    }

    fn local() -> SocketAddr {
        "203.0.113.1:5060".parse().expect("addr")
    }
}

