//! Where a ring group sends a call nobody answered: a number, or an extension's
//! voicemail box.

use std::borrow::Cow;
use std::str::FromStr;

use super::number::Number;
use super::string_value::string_value;

/// How a ring group's fallback names a voicemail box: `voicemail:` and the extension.
pub const VOICEMAIL_PREFIX: &str = "voicemail:";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupFallback {
    Number(Number),
    /// The voicemail box of this extension.
    Voicemail(Number),
}

impl GroupFallback {
    fn text(&self) -> Cow<'_, str> {
        match self {
            GroupFallback::Number(n) => Cow::Borrowed(n.as_str()),
            GroupFallback::Voicemail(n) => Cow::Owned(format!("{VOICEMAIL_PREFIX}{n}")),
        }
    }
}

impl FromStr for GroupFallback {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if let Some(n) = value.strip_prefix(VOICEMAIL_PREFIX) {
            return n.parse::<Number>().map(GroupFallback::Voicemail).map_err(|e| format!("the box's extension {e}"));
        }
        value.parse::<Number>().map(GroupFallback::Number).map_err(|e| format!("{e} (or `{VOICEMAIL_PREFIX}<extension>`)"))
    }
}

string_value!(GroupFallback, "group_fallback", "A dialable number, or `voicemail:<extension>` for that extension's voicemail box.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_or_an_extensions_box() {
        assert!(matches!("1000".parse::<GroupFallback>(), Ok(GroupFallback::Number(_))));
        let boxed = "voicemail:1001".parse::<GroupFallback>();
        assert!(matches!(&boxed, Ok(GroupFallback::Voicemail(n)) if n.as_str() == "1001"));
        assert_eq!(boxed.map(|b| b.to_string()), Ok("voicemail:1001".to_owned()));
        assert!("voicemail:".parse::<GroupFallback>().is_err());
        assert!("voicemail".parse::<GroupFallback>().is_err(), "a group has no box of its own");
    }
}
