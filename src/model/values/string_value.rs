//! The plumbing every configuration value type shares: it is written as a JSON string,
//! parsed once when it enters (API body, stored record), and documented as a string.

/// Implements `Display`, `serde`, and poem-openapi's `Type`/`ParseFromJSON`/`ToJSON` for a
/// type with `FromStr<Err = String>` and `fn text(&self) -> Cow<str>`, so a value that does
/// not parse never becomes one.
///
/// A parse failure is reported to serde as `invalid value: ...`; the API answers those with
/// 422 naming the field (see `api/body.rs`).
macro_rules! string_value {
    ($ty:ty, $format:literal, $describe:literal) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.text())
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.text())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                text.parse().map_err(|e: String| {
                    <D::Error as serde::de::Error>::custom(format!("{}{e}", $crate::model::values::INVALID_VALUE))
                })
            }
        }

        impl poem_openapi::types::Type for $ty {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> std::borrow::Cow<'static, str> {
                concat!("string_", $format).into()
            }

            fn schema_ref() -> poem_openapi::registry::MetaSchemaRef {
                let mut schema = poem_openapi::registry::MetaSchema::new("string");
                schema.description = Some($describe);
                poem_openapi::registry::MetaSchemaRef::Inline(Box::new(schema))
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl poem_openapi::types::ParseFromJSON for $ty {
            fn parse_from_json(value: Option<serde_json::Value>) -> poem_openapi::types::ParseResult<Self> {
                match value {
                    Some(serde_json::Value::String(s)) => s.parse().map_err(poem_openapi::types::ParseError::custom),
                    other => Err(poem_openapi::types::ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl poem_openapi::types::ToJSON for $ty {
            fn to_json(&self) -> Option<serde_json::Value> {
                Some(serde_json::Value::String(self.text().into_owned()))
            }
        }
    };
}

pub(crate) use string_value;
