//! The `Allow` header of a 405 answer (RFC 9110 §15.5.6 requires it): the methods each path of
//! the published spec takes, looked up by the request's path.

use http::Method;
use serde_json::Value;

/// Every path template of the spec with the methods it takes.
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    /// (segments, `Allow` value, the template as the spec writes it)
    templates: Vec<(Vec<Segment>, String, String)>,
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
                templates.push((parse(template), methods.join(", "), template.clone()));
            }
        }
        Self { templates }
    }

    /// The `Allow` value for `path`: of the templates that match it, the one with the most
    /// literal segments (`/workshops/export.csv` before `/workshops/{id}`).
    pub fn for_path(&self, path: &str) -> Option<&str> {
        self.matching(path).map(|(_, allow, _)| allow.as_str())
    }

    /// The spec's path template that `path` falls under (`/api/v1/workshops/{id}`), chosen as
    /// [`AllowedMethods::for_path`] chooses: what metrics and logs name a request's route by.
    pub fn template_for(&self, path: &str) -> Option<&str> {
        self.matching(path)
            .map(|(_, _, template)| template.as_str())
    }

    fn matching(&self, path: &str) -> Option<&(Vec<Segment>, String, String)> {
        let segments: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(template, _, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(t, s)| match t {
                        Segment::Literal(lit) => lit == s,
                        Segment::Parameter => !s.is_empty(),
                    })
            })
            .max_by_key(|(template, _, _)| {
                template
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count()
            })
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
    fn a_path_is_named_by_its_template() {
        let t = table();
        assert_eq!(
            t.template_for("/api/v1/workshops/7"),
            Some("/api/v1/workshops/{id}")
        );
        assert_eq!(
            t.template_for("/api/v1/workshops/export.csv"),
            Some("/api/v1/workshops/export.csv")
        );
        assert_eq!(t.template_for("/api/v1/nothing"), None);
    }

    #[test]
    fn unknown_paths_have_no_entry() {
        let t = table();
        assert_eq!(t.for_path("/api/v1/nothing"), None);
        assert_eq!(t.for_path("/api/v1/workshops/"), None);
        assert_eq!(t.for_path("/api/v1/workshops/7/more"), None);
    }
}
