//! Where a forwarding rule sends a call: a number, or the extension's own voicemail box.

use std::borrow::Cow;
use std::str::FromStr;

use super::number::Number;
use super::string_value::string_value;

/// The word a forwarding field takes for the extension's own voicemail box.
pub const VOICEMAIL: &str = "voicemail";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ForwardTarget {
    Number(Number),
    /// The forwarding extension's own voicemail box.
    Voicemail,
}

impl ForwardTarget {
    fn text(&self) -> Cow<'_, str> {
        match self {
            ForwardTarget::Number(n) => Cow::Borrowed(n.as_str()),
            ForwardTarget::Voicemail => Cow::Borrowed(VOICEMAIL),
        }
    }

    pub fn number(&self) -> Option<&Number> {
        match self {
            ForwardTarget::Number(n) => Some(n),
            ForwardTarget::Voicemail => None,
        }
    }
}

impl FromStr for ForwardTarget {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if value == VOICEMAIL {
            return Ok(ForwardTarget::Voicemail);
        }
        value.parse::<Number>().map(ForwardTarget::Number).map_err(|e| format!("{e} (or `{VOICEMAIL}`)"))
    }
}

impl From<Number> for ForwardTarget {
    fn from(n: Number) -> Self {
        ForwardTarget::Number(n)
    }
}

string_value!(ForwardTarget, "forward_target", "A dialable number, or `voicemail` for the extension's own voicemail box.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_or_the_word_voicemail() {
        assert_eq!("voicemail".parse::<ForwardTarget>(), Ok(ForwardTarget::Voicemail));
        assert!(matches!("+4930123".parse::<ForwardTarget>(), Ok(ForwardTarget::Number(_))));
        assert!("Voicemail".parse::<ForwardTarget>().is_err());
        assert_eq!(ForwardTarget::Voicemail.to_string(), "voicemail");
    }
}
