//! `JsonBody<T>`: a JSON request body whose failures are problem+json with named fields.
//!
//! poem-openapi's own `Json<T>` reports every failure as a plain-text 400 that does not always
//! name the field. This payload keeps the same schema in the spec and the same validators, but
//! answers 400 only for bodies that are not JSON at all, and 422 with `errors: [{field, message}]`
//! for JSON that does not fit: missing fields, wrong types, unknown enum values, broken limits.

use poem::{FromRequest, Request, RequestBody};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ExtractParamOptions,
    payload::{ParsePayload, Payload},
    registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry},
    types::{ParseFromJSON, Type},
};
use serde_json::Value;

use crate::{
    domain::{dates, text},
    error::{ApiError, FieldError, describe_rule},
};

/// A JSON request body of type `T`.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<T: Type> Payload for JsonBody<T> {
    const CONTENT_TYPE: &'static str = "application/json";

    fn check_content_type(content_type: &str) -> bool {
        matches!(content_type.parse::<mime::Mime>(), Ok(m) if m.type_() == "application"
            && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json")))
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ParseFromJSON> ParsePayload for JsonBody<T> {
    const IS_REQUIRED: bool = true;

    async fn from_request(request: &Request, body: &mut RequestBody) -> poem::Result<Self> {
        let data = <Vec<u8> as FromRequest>::from_request(request, body).await?;
        if data.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadRequest(
                "the request body is empty; a JSON object is expected".into(),
            )
            .into());
        }
        let value: Value = serde_json::from_slice(&data).map_err(|e| {
            ApiError::BadRequest(format!("the request body is not valid JSON: {e}"))
        })?;
        let errors = shape_errors::<T>(&value);
        if !errors.is_empty() {
            return Err(ApiError::invalid(errors).into());
        }
        match T::parse_from_json(Some(value)) {
            Ok(parsed) => Ok(Self(parsed)),
            Err(err) => {
                Err(ApiError::invalid(vec![field_error_from_message(err.message())]).into())
            }
        }
    }
}

impl<'a, T: ParseFromJSON> ApiExtractor<'a> for JsonBody<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        <Self as Payload>::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: Self::CONTENT_TYPE,
                schema: Self::schema_ref(),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        // A missing Content-Type, or curl's default for `-d`, is read as JSON: people trying the
        // API from a shell should not have to know the header.
        match request.content_type() {
            Some(ct)
                if !Self::check_content_type(ct)
                    && !ct.starts_with("application/x-www-form-urlencoded") =>
            {
                Err(ApiError::UnsupportedMediaType(format!(
                    "this operation takes application/json, not {ct}"
                ))
                .into())
            }
            _ => <Self as ParsePayload>::from_request(request, body).await,
        }
    }
}

/// Checks `value` against the schema of `T` field by field, so that errors can name the field:
/// required fields present, JSON types right, enum values known.
fn shape_errors<T: Type>(value: &Value) -> Vec<FieldError> {
    let mut registry = Registry::new();
    T::register(&mut registry);
    let root = T::schema_ref();
    let Some(schema) = resolve(&registry, &root) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    check_value(&registry, schema, value, "", &mut errors);
    errors
}

fn resolve<'r>(registry: &'r Registry, schema: &'r MetaSchemaRef) -> Option<&'r MetaSchema> {
    match schema {
        MetaSchemaRef::Inline(s) => Some(s),
        MetaSchemaRef::Reference(name) => registry.schemas.get(name),
    }
}

fn field_name(path: &str) -> String {
    if path.is_empty() {
        "body".to_owned()
    } else {
        path.to_owned()
    }
}

fn check_value(
    registry: &Registry,
    schema: &MetaSchema,
    value: &Value,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    // A documented reference is wrapped as `allOf: [$ref]`: check against what it wraps.
    for part in schema.all_of.iter().filter_map(|s| resolve(registry, s)) {
        check_value(registry, part, value, path, errors);
    }
    let problem = match (schema.ty, value) {
        (_, Value::Null) => None,
        ("object", Value::Object(map)) => {
            for required in &schema.required {
                if map.get(*required).is_none_or(Value::is_null) {
                    errors.push(FieldError {
                        field: join(path, required),
                        message: "is required".into(),
                    });
                }
            }
            for (name, prop) in &schema.properties {
                if let (Some(v), Some(prop)) = (map.get(*name), resolve(registry, prop)) {
                    check_value(registry, prop, v, &join(path, name), errors);
                }
            }
            None
        }
        ("object", _) => Some("must be a JSON object".to_owned()),
        ("array", Value::Array(items)) => {
            if let Some(item_schema) = schema.items.as_deref().and_then(|s| resolve(registry, s)) {
                for (i, item) in items.iter().enumerate() {
                    check_value(
                        registry,
                        item_schema,
                        item,
                        &format!("{}[{i}]", field_name(path)),
                        errors,
                    );
                }
            }
            None
        }
        ("array", _) => Some("must be a list".to_owned()),
        ("integer", v) if !(v.is_i64() || v.is_u64()) => Some("must be a whole number".to_owned()),
        ("number", v) if !v.is_number() => Some("must be a number".to_owned()),
        ("boolean", v) if !v.is_boolean() => Some("must be true or false".to_owned()),
        ("string", v) if !v.is_string() => Some("must be a string".to_owned()),
        ("string", v) if !schema.enum_items.is_empty() && !schema.enum_items.contains(v) => {
            let allowed: Vec<String> = schema
                .enum_items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect();
            Some(format!("must be one of: {}", allowed.join(", ")))
        }
        ("string", Value::String(s)) if matches!(schema.format, Some("date" | "naive-date")) => {
            match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Err(_) => Some("must be a date written YYYY-MM-DD".to_owned()),
                Ok(date) => dates::check_in_range("", date).err().map(|e| e.message),
            }
        }
        // Every piece of text in every body, whatever the operation.
        ("string", Value::String(s)) => text::check_chars("", s, text::is_multiline_field(path))
            .err()
            .map(|e| e.message),
        _ => None,
    };
    if let Some(message) = problem {
        errors.push(FieldError {
            field: field_name(path),
            message,
        });
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Reads the field and rule out of a poem-openapi parse message such as
/// ``failed to parse "CreateCourse": field `pass_mark` verification failed. maximum(100, exclusive: false)``.
fn field_error_from_message(message: &str) -> FieldError {
    if let Some((_, rest)) = message.split_once("field `")
        && let Some((field, rest)) = rest.split_once('`')
    {
        let message = match rest.split_once("verification failed. ") {
            Some((_, rule)) => describe_rule(rule.split(" (occurred").next().unwrap_or(rule)),
            None => rest
                .trim_start_matches([' ', ':'])
                .trim_end_matches('.')
                .to_owned(),
        };
        return FieldError {
            field: field.to_owned(),
            message,
        };
    }
    FieldError {
        field: "body".into(),
        message: message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_messages_name_the_field_and_rule() {
        let e = field_error_from_message(
            r#"failed to parse "CreateCourse": field `pass_mark` verification failed. maximum(100, exclusive: false)"#,
        );
        assert_eq!(
            e,
            FieldError {
                field: "pass_mark".into(),
                message: "must be at most 100".into()
            }
        );
    }
}
