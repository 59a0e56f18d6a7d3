//! A participant's mail as a letter in their language: the greeting, whole paragraphs and the
//! sign-off, in plain text and HTML; the web addresses it names become links in the HTML.

use crate::l10n::{self, Lang};

/// A composed mail: subject, plain text and HTML.
pub type Letter = (String, String, String);

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The letter to `name` in `lang`: `paragraphs` (whole sentences, already in `lang`) between the
/// greeting and the sign-off; each of `links` found in a paragraph is a link in the HTML.
pub fn letter(
    lang: Lang,
    subject: String,
    name: &str,
    paragraphs: &[String],
    links: &[&str],
) -> Letter {
    let greeting = l10n::text_with(lang, "mail-greeting", &[("name", name.to_owned().into())]);
    let sign_off = l10n::text(lang, "mail-sign-off");
    let team = l10n::text(lang, "mail-team");
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body style=\"font-family: sans-serif\"><p>{}</p>",
        lang.code(),
        escape(&greeting)
    );
    for paragraph in paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
        let mut p = escape(paragraph);
        for url in links.iter().filter(|u| !u.is_empty()) {
            let url = escape(url);
            p = p.replace(&url, &format!("<a href=\"{url}\">{url}</a>"));
        }
        html.push_str(&format!("<p>{p}</p>"));
    }
    text.push_str(&format!("{sign_off}\n{team}\n"));
    html.push_str(&format!(
        "<p>{}<br>{}</p></body></html>",
        escape(&sign_off),
        escape(&team)
    ));
    (subject, text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_greets_in_its_language_escapes_and_links_its_addresses() {
        let (subject, text, html) = letter(
            Lang::Sn,
            "Musoro".into(),
            "Rudo <b>",
            &["Ona https://x.test/a?b=1&c=2 nhasi.".into()],
            &["https://x.test/a?b=1&c=2"],
        );
        assert_eq!(subject, "Musoro");
        assert!(text.starts_with("Mhoro Rudo <b>,\n\n"), "{text}");
        assert!(text.contains("Ona https://x.test/a?b=1&c=2 nhasi.\n\n"));
        assert!(html.contains("<html lang=\"sn\">"));
        assert!(html.contains("Rudo &lt;b&gt;"));
        assert!(
            html.contains(
                "<a href=\"https://x.test/a?b=1&amp;c=2\">https://x.test/a?b=1&amp;c=2</a>"
            )
        );
    }
}
