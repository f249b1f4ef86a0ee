//! Dialable numbers and dial-plan prefixes.

use std::borrow::Cow;
use std::str::FromStr;

use super::string_value::string_value;

/// Longest dialable number (E.164 allows 15 digits; internal schemes and prefixes add some).
pub const MAX_NUMBER_LEN: usize = 32;

/// A dialable number: digits, optionally with one leading `+` (E.164).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Number(String);

impl Number {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl FromStr for Number {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        let digits = value.strip_prefix('+').unwrap_or(value);
        if digits.is_empty() {
            return Err("must contain at least one digit".into());
        }
        if value.len() > MAX_NUMBER_LEN {
            return Err(format!("must be at most {MAX_NUMBER_LEN} characters"));
        }
        if let Some(c) = digits.chars().find(|c| !c.is_ascii_digit()) {
            return Err(format!("must contain digits only (with an optional leading +), found {c:?}"));
        }
        Ok(Number(value.to_owned()))
    }
}

impl PartialEq<str> for Number {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

/// Read access as text (a valid value is also valid text).
impl std::ops::Deref for Number {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Number {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

string_value!(Number, "number", "A dialable number: digits with an optional leading `+`.");

/// A dial-plan prefix: digits, `*`, `#` and a leading `+`; empty matches every number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Prefix(String);

impl Prefix {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `number` starts with this prefix.
    pub fn matches(&self, number: &str) -> bool {
        number.starts_with(&self.0)
    }

    fn text(&self) -> Cow<'_, str> {
        Cow::Borrowed(&self.0)
    }
}

impl FromStr for Prefix {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, String> {
        if value.len() > MAX_NUMBER_LEN {
            return Err(format!("must be at most {MAX_NUMBER_LEN} characters"));
        }
        let rest = value.strip_prefix('+').unwrap_or(value);
        if let Some(c) = rest.chars().find(|c| !(c.is_ascii_digit() || *c == '*' || *c == '#')) {
            return Err(format!("may contain digits, * and # only (with an optional leading +), found {c:?}"));
        }
        Ok(Prefix(value.to_owned()))
    }
}

/// Read access as text (a valid value is also valid text).
impl std::ops::Deref for Prefix {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Prefix {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

string_value!(Prefix, "prefix", "Digits, `*` and `#` with an optional leading `+`; may be empty.");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!("1001".parse::<Number>().is_ok());
        assert!("+442071234567".parse::<Number>().is_ok());
        assert!("".parse::<Number>().is_err());
        assert!("+".parse::<Number>().is_err());
        assert!("10a1".parse::<Number>().is_err());
        assert!("1 001".parse::<Number>().is_err());
        assert!("1".repeat(33).parse::<Number>().is_err());
    }

    #[test]
    fn prefixes() {
        assert!("".parse::<Prefix>().is_ok());
        assert!("*72".parse::<Prefix>().is_ok());
        assert!("+44".parse::<Prefix>().is_ok());
        assert!("9x".parse::<Prefix>().is_err());
        let p: Prefix = "90".parse().expect("prefix");
        assert!(p.matches("9044"));
        assert!(!p.matches("9144"));
    }

    #[test]
    fn json_round_trip_refuses_bad_values() {
        let n: Number = serde_json::from_str("\"+4420\"").expect("number");
        assert_eq!(serde_json::to_string(&n).expect("json"), "\"+4420\"");
        let e = serde_json::from_str::<Number>("\"10O1\"").expect_err("letter O");
        assert!(e.to_string().starts_with(super::super::INVALID_VALUE), "{e}");
    }
}
