//! The `Allow` header of a 405 answer (RFC 9110 §15.5.6 requires it): the methods each path of
//! the published spec takes, looked up by the request's path.

use http::Method;
use serde_json::Value;

/// Every path template of the spec with the methods it takes.
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    templates: Vec<(Vec<Segment>, String)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl AllowedMethods {
    /// Reads the paths of an OpenAPI document (`paths` → template → method).
    pub fn from_spec(spec: &Value) -> Self {
        let mut templates = Vec::new();
        if let Some(paths) = spec.get("paths").and_then(Value::as_object) {
            for (template, item) in paths {
                let Some(item) = item.as_object() else {
                    continue;
                };
                let mut methods: Vec<String> = item
                    .keys()
                    .filter_map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
                    .map(|m| m.to_string())
                    .collect();
                if methods.iter().any(|m| m == "GET") {
                    methods.push("HEAD".into());
                }
                methods.sort();
                templates.push((parse(template), methods.join(", ")));
            }
        }
        Self { templates }
    }

    /// The `Allow` value for `path`: of the templates that match it, the one with the most
    /// literal segments (`/workshops/export.csv` before `/workshops/{id}`).
    pub fn for_path(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(t, s)| match t {
                        Segment::Literal(lit) => lit == s,
                        Segment::Parameter => !s.is_empty(),
                    })
            })
            .max_by_key(|(template, _)| {
                template
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
            .map(|(_, allow)| allow.as_str())
    }
}

fn parse(template: &str) -> Vec<Segment> {
    template
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Parameter
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table() -> AllowedMethods {
        AllowedMethods::from_spec(&json!({"paths": {
            "/api/v1/workshops": {"get": {}, "post": {}},
            "/api/v1/workshops/{id}": {"get": {}, "patch": {}},
            "/api/v1/workshops/export.csv": {"get": {}},
            "/api/v1/auth/login": {"post": {}},
        }}))
    }

    #[test]
    fn a_path_gets_the_methods_of_its_template() {
        let t = table();
        assert_eq!(t.for_path("/api/v1/workshops"), Some("GET, HEAD, POST"));
        assert_eq!(t.for_path("/api/v1/workshops/7"), Some("GET, HEAD, PATCH"));
        assert_eq!(t.for_path("/api/v1/auth/login"), Some("POST"));
    }

    #[test]
    fn literal_segments_win_over_parameters() {
        assert_eq!(
            table().for_path("/api/v1/workshops/export.csv"),
            Some("GET, HEAD")
        );
    }

    #[test]
    fn unknown_paths_have_no_entry() {
        let t = table();
        assert_eq!(t.for_path("/api/v1/nothing"), None);
        assert_eq!(t.for_path("/api/v1/workshops/"), None);
        assert_eq!(t.for_path("/api/v1/workshops/7/more"), None);
    }
}
