//! Participant-facing words in English, Shona and Ndebele, from Fluent files embedded in the
//! binary: `assets/i18n/<lang>/*.ftl`, one folder per [`Lang`], the same message ids in each.
//!
//! Sentences stay whole (one message per sentence, its variables as Fluent arguments), so that
//! translators never see fragments; plurals use Fluent's CLDR plural selectors. Bidi isolation
//! marks are off: they would turn every SMS with a name in it into UCS-2 and show as stray
//! characters in plain-text mail. Look keys up with string literals (`text(lang, "portal-title")`)
//! so that the test below can check that every key used exists in every language.

use std::borrow::Cow;
use std::collections::HashMap;

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

pub use crate::domain::language::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./assets/i18n",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn identifier(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::En => langid!("en"),
        Lang::Sn => langid!("sn"),
        Lang::Nd => langid!("nd"),
    }
}

/// The message `key` in `lang` (English when the language lacks it, which the tests forbid).
pub fn text(lang: Lang, key: &str) -> String {
    LOCALES.lookup(&identifier(lang), key)
}

/// The message `key` in `lang` with its arguments (`{ $name }` in the `.ftl` file).
pub fn text_with(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    LOCALES.lookup_with_args(&identifier(lang), key, &args)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use fluent_syntax::ast::Entry;
    use fluent_templates::fluent_bundle::FluentResource;

    use super::{Lang, text, text_with};

    fn files_of(lang: Lang) -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/i18n")
            .join(lang.code());
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        files
    }

    /// Every message id of a language, per file name, after checking that each file parses.
    fn keys_of(lang: Lang) -> BTreeSet<(String, String)> {
        let mut keys = BTreeSet::new();
        for path in files_of(lang) {
            let source = std::fs::read_to_string(&path).unwrap();
            let resource = FluentResource::try_new(source)
                .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", path.display()));
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            for entry in resource.entries() {
                if let Entry::Message(message) = entry {
                    keys.insert((file.clone(), message.id.name.to_string()));
                }
            }
        }
        keys
    }

    #[test]
    fn every_language_has_every_message_in_the_same_file() {
        let english = keys_of(Lang::En);
        for lang in [Lang::Sn, Lang::Nd] {
            let other = keys_of(lang);
            let missing: Vec<_> = english.difference(&other).collect();
            let extra: Vec<_> = other.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}: missing {missing:?}, not in English {extra:?}",
                lang.code()
            );
        }
    }

    #[test]
    fn no_message_is_defined_in_two_files_of_a_language() {
        // One bundle per language holds every file: a second definition would fail to load.
        for lang in Lang::ALL {
            let mut seen = std::collections::BTreeMap::new();
            for (file, key) in keys_of(lang) {
                if let Some(first) = seen.insert(key.clone(), file.clone()) {
                    panic!("{}: `{key}` is in both {first} and {file}", lang.code());
                }
            }
        }
    }

    #[test]
    fn translations_say_in_their_header_that_they_await_review() {
        for lang in [Lang::Sn, Lang::Nd] {
            for path in files_of(lang) {
                let source = std::fs::read_to_string(&path).unwrap();
                assert!(
                    source.starts_with("###") && source.contains("awaiting review"),
                    "{} must open with a `###` header saying it is awaiting review by IWSD's translators",
                    path.display()
                );
            }
        }
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        // `text(lang, "key")`, `text_with(lang, "key", …)` in Rust, `t("key")`/`t_with("key", …)`
        // in templates: every literal key named so must be a message.
        let known: BTreeSet<String> = keys_of(Lang::En).into_iter().map(|(_, key)| key).collect();
        let pattern = regex::Regex::new(
            r#"\b(?:text|text_with|t|t_with)\(\s*(?:[A-Za-z_.:]+,\s*)?"([a-z][a-z0-9-]*)""#,
        )
        .unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut unknown = Vec::new();
        let mut stack = vec![root.join("src"), root.join("assets/web/templates")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(source) = std::fs::read_to_string(&path) else {
                    continue;
                };
                for capture in pattern.captures_iter(&source) {
                    let key = &capture[1];
                    if !known.contains(key) && path.file_name().is_some_and(|n| n != "l10n.rs") {
                        unknown.push(format!("{}: {key}", path.display()));
                    }
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "keys used but not defined: {unknown:#?}"
        );
    }

    #[test]
    fn messages_come_in_the_language_asked_with_their_arguments() {
        assert_eq!(text(Lang::En, "language-name"), "English");
        assert_eq!(text(Lang::Sn, "language-name"), "chiShona");
        assert_eq!(text(Lang::Nd, "language-name"), "isiNdebele");
        let greeting = text_with(Lang::En, "greeting", &[("name", "Tendai Moyo".into())]);
        assert_eq!(greeting, "Hello Tendai Moyo,");
        assert!(!greeting.contains('\u{2068}'), "no bidi isolation marks");
    }
}
