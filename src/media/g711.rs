//! G.711 (ITU-T G.711) decoding: μ-law and A-law bytes to 16-bit linear samples.

/// μ-law byte to a linear sample (G.711 section 3, the inverse of the encoder's table).
pub fn ulaw(byte: u8) -> i16 {
    let u = !byte;
    let exponent = (u >> 4) & 0x07;
    let mantissa = i16::from(u & 0x0F);
    let magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    if u & 0x80 != 0 { -magnitude } else { magnitude }
}

/// A-law byte to a linear sample (G.711 section 2; even bits inverted on the wire).
pub fn alaw(byte: u8) -> i16 {
    let a = byte ^ 0x55;
    let segment = (a & 0x70) >> 4;
    let mut magnitude = i16::from(a & 0x0F) << 4;
    magnitude = match segment {
        0 => magnitude + 8,
        1 => magnitude + 0x108,
        s => (magnitude + 0x108) << (s - 1),
    };
    if a & 0x80 != 0 { magnitude } else { -magnitude }
}

#[cfg(test)]
mod tests {
    use super::*;

    // G.711 tables: μ-law 0xFF and 0x7F are the two zeros, 0x00 the largest negative
    // value; A-law 0xD5/0x55 are the smallest positive/negative steps, 0xAA/0x2A the largest.
    #[test]
    fn the_tables_ends_and_zeros() {
        assert_eq!(ulaw(0xFF), 0);
        assert_eq!(ulaw(0x7F), 0);
        assert_eq!(ulaw(0x00), -32124);
        assert_eq!(ulaw(0x80), 32124);
        assert_eq!(alaw(0xD5), 8);
        assert_eq!(alaw(0x55), -8);
        assert_eq!(alaw(0xAA), 32256);
        assert_eq!(alaw(0x2A), -32256);
    }
}
