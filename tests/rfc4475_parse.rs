//! RFC 4475 torture tests against the wire parser: section 3.1.1 messages parse, section
//! 3.1.2 messages are refused (400-class answer or drop), nothing panics.

use callplane::sip::wire::{ParseError, parse};

fn corpus() -> Vec<(String, String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rfc4475");
    let index = std::fs::read_to_string(format!("{dir}/index.tsv")).expect("index");
    index
        .lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let bytes = std::fs::read(format!("{dir}/{}.dat", cols[0])).expect("message");
            (cols[0].to_owned(), cols[1].to_owned(), bytes)
        })
        .collect()
}

#[test]
fn the_corpus_has_all_49_messages() {
    assert_eq!(corpus().len(), 49);
}

#[test]
fn valid_messages_parse() {
    for (name, class, bytes) in corpus() {
        if class == "valid" {
            if let Err(e) = parse(&bytes, true) {
                panic!("{name} (valid) was refused: {e}");
            }
        }
    }
}

#[test]
fn invalid_messages_are_refused() {
    for (name, class, bytes) in corpus() {
        if class == "invalid" {
            match parse(&bytes, true) {
                Ok(_) => panic!("{name} (invalid) was accepted"),
                Err(ParseError::Reject { status, .. }) => assert!(status == 400 || status == 505, "{name}: {status}"),
                Err(ParseError::Unparseable(_)) => {}
            }
        }
    }
}

#[test]
fn nothing_panics_on_any_prefix_of_any_message() {
    for (_, _, bytes) in corpus() {
        for end in 0..bytes.len() {
            let _ = parse(&bytes[..end], true);
            let _ = parse(&bytes[..end], false);
        }
    }
}
