//! Instants as the API and the participant's data export write them: RFC 3339 in UTC with a `Z`
//! (`2026-12-04T09:30:00Z`), as RFC 3339 clients expect by default (zod's `z.iso.datetime()`,
//! Python's `datetime.fromisoformat`), where poem-openapi would write chrono's `+00:00`.

use std::borrow::Cow;

use chrono::{DateTime, SecondsFormat, Utc};
use poem_openapi::{
    registry::{MetaSchema, MetaSchemaRef},
    types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type},
};
use serde_json::Value;

/// An instant, written in UTC with a `Z`; read from any RFC 3339 offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The instant as the API writes it.
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(instant: DateTime<Utc>) -> Self {
        Self(instant)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.0
    }
}

impl std::str::FromStr for Timestamp {
    type Err = chrono::ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self(
            DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc),
        ))
    }
}

impl Type for Timestamp {
    const IS_REQUIRED: bool = true;

    type RawValueType = Self;

    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "string_date-time".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time")))
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(self.as_raw_value().into_iter())
    }
}

impl ParseFromJSON for Timestamp {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::String(text) => Ok(text.parse()?),
            other => Err(ParseError::expected_type(other)),
        }
    }
}

impl ParseFromParameter for Timestamp {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(value.parse()?)
    }
}

impl ToJSON for Timestamp {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.to_rfc3339()))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_is_written_in_utc_with_a_z() {
        let t: Timestamp = "2026-12-04T11:30:00+02:00".parse().unwrap();
        assert_eq!(
            t.to_json(),
            Some(Value::String("2026-12-04T09:30:00Z".into()))
        );
        let precise: Timestamp = "2026-12-04T09:30:00.123456Z".parse().unwrap();
        assert_eq!(precise.to_rfc3339(), "2026-12-04T09:30:00.123456Z");
    }

    #[test]
    fn an_instant_without_an_offset_is_refused() {
        assert!(
            Timestamp::parse_from_json(Some(Value::String("2026-12-04T09:30:00".into()))).is_err()
        );
        assert!(Timestamp::parse_from_json(Some(Value::from(5))).is_err());
    }
}
