//! The words of a participant-facing page in its language, from the Fluent files
//! (`assets/i18n/<lang>/pages.ftl`, `evaluation.ftl`): templates call `layout.w.t("…")`, Rust
//! code `w.t("…")` / `w.t_with("…", &[…])`, so that the key test in [`crate::l10n`] checks
//! every key named.
//!
//! Which language: the signed-in participant's own, else `?lang=`, else `Accept-Language`, else
//! English ([`Lang::negotiate`]). Every such page carries a switch (three links to the same
//! address with `lang=` replaced), `<html lang>`, `Content-Language` and
//! `Vary: Accept-Language`. The trainer's register and the console stay English.

use chrono::{Datelike, NaiveDate};
use poem::{
    Request, Response,
    http::{HeaderValue, Method, header},
};

use crate::l10n::{self, FluentValue, Lang};

/// One link of the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    /// `en`, `sn`, `nd`.
    pub code: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    /// This page's address in that language.
    pub href: String,
    /// The language the page is in.
    pub current: bool,
}

/// A page's language and the links that switch it.
#[derive(Debug, Clone)]
pub struct Words {
    pub lang: Lang,
    /// Empty on pages without a switch (English-only pages).
    pub switch: Vec<LangLink>,
}

impl Default for Words {
    fn default() -> Self {
        Self::english()
    }
}

impl Words {
    /// English without a switch: the pages that are not for participants.
    pub fn english() -> Self {
        Self {
            lang: Lang::En,
            switch: Vec::new(),
        }
    }

    /// The language for this request (`participant`: the signed-in participant's own, when
    /// recorded), with a switch to this page's address in each language. The switch of a
    /// page answering a form (not a GET) leads to `fallback_path`.
    pub fn for_request(req: &Request, participant: Option<Lang>, fallback_path: &str) -> Self {
        let query = query_lang(req);
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        // The switch is an explicit choice for this page, so `?lang=` wins here; without it the
        // participant's own language (what their mail and SMS use) comes before the browser's.
        let lang = query
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_else(|| Lang::negotiate(participant, None, accept));
        Self::chosen(req, lang, fallback_path)
    }

    /// `lang`, chosen already (by a form's field, say), with the switch of
    /// [`Words::for_request`].
    pub fn chosen(req: &Request, lang: Lang, fallback_path: &str) -> Self {
        let (path, rest) = if req.method() == Method::GET || req.method() == Method::HEAD {
            (req.uri().path().to_owned(), other_query(req))
        } else {
            (fallback_path.to_owned(), Vec::new())
        };
        let switch = Lang::ALL
            .into_iter()
            .map(|other| {
                let mut pairs = rest.clone();
                pairs.push(format!("lang={}", other.code()));
                LangLink {
                    code: other.code(),
                    name: other.endonym(),
                    href: format!("{path}?{}", pairs.join("&")),
                    current: other == lang,
                }
            })
            .collect();
        Self { lang, switch }
    }

    /// The `lang` attribute and `Content-Language`.
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The message `key`.
    pub fn t(&self, key: &str) -> String {
        l10n::text(self.lang, key)
    }

    /// The message `key` with its arguments.
    pub fn t_with(&self, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
        l10n::text_with(self.lang, key, args)
    }

    /// "Signed in as …" (the layout's bar).
    pub fn signed_in_as(&self, name: &str) -> String {
        self.t_with("signed-in-as", &[("name", name.to_owned().into())])
    }

    /// A date as people read it in this language: "2 March 2026", "2 Kurume 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        long_date(self.lang, date)
    }

    /// A span of dates: "2 – 6 March 2026", or both in full when the months differ.
    pub fn date_span(&self, start: NaiveDate, end: NaiveDate) -> String {
        date_span(self.lang, start, end)
    }

    /// Adds `Content-Language` and `Vary: Accept-Language` to a page in this language.
    pub fn mark(&self, mut response: Response) -> Response {
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(self.lang.code()),
        );
        headers.append(header::VARY, HeaderValue::from_static("Accept-Language"));
        response
    }
}

/// A date in `lang`: the month names are a Fluent select in each language's `pages.ftl` (the
/// Fluent crates carry CLDR plural rules but no CLDR date data).
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    l10n::text_with(
        lang,
        "date-long",
        &[
            ("day", date.day().to_string().into()),
            ("month", i64::from(date.month()).into()),
            ("year", date.year().to_string().into()),
        ],
    )
}

/// A span of dates in `lang`.
pub fn date_span(lang: Lang, start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        long_date(lang, start)
    } else if start.year() == end.year() && start.month() == end.month() {
        l10n::text_with(
            lang,
            "date-span-one-month",
            &[
                ("start_day", start.day().to_string().into()),
                ("end", long_date(lang, end).into()),
            ],
        )
    } else {
        l10n::text_with(
            lang,
            "date-span",
            &[
                ("start", long_date(lang, start).into()),
                ("end", long_date(lang, end).into()),
            ],
        )
    }
}

fn query_lang(req: &Request) -> Option<String> {
    req.uri()
        .query()?
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(str::to_owned)
}

/// The query's pairs other than `lang`, as they came.
fn other_query(req: &Request) -> Vec<String> {
    req.uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != "lang" && !pair.starts_with("lang="))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_read_as_people_write_them_in_each_language() {
        assert_eq!(long_date(Lang::En, d("2026-03-02")), "2 March 2026");
        assert_eq!(long_date(Lang::Sn, d("2026-03-02")), "2 Kurume 2026");
        assert_eq!(long_date(Lang::Nd, d("2026-03-02")), "2 uMbimbitho 2026");
        assert_eq!(long_date(Lang::En, d("2026-12-24")), "24 December 2026");
        assert_eq!(
            date_span(Lang::En, d("2026-03-02"), d("2026-03-06")),
            "2 – 6 March 2026"
        );
        assert_eq!(
            date_span(Lang::Sn, d("2026-02-26"), d("2026-03-04")),
            "26 Kukadzi 2026 – 4 Kurume 2026"
        );
    }

    #[test]
    fn the_switch_keeps_the_rest_of_the_address() {
        let req = Request::builder()
            .uri("/verify/abc?x=1&lang=sn".parse().unwrap())
            .finish();
        let w = Words::for_request(&req, None, "/portal");
        assert_eq!(w.lang, Lang::Sn);
        let hrefs: Vec<_> = w.switch.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "/verify/abc?x=1&lang=en",
                "/verify/abc?x=1&lang=sn",
                "/verify/abc?x=1&lang=nd"
            ]
        );
        assert!(w.switch[1].current);
    }

    #[test]
    fn plurals_follow_each_languages_rules() {
        let en =
            |n: i64| l10n::text_with(Lang::En, "error-too-many-text", &[("seconds", n.into())]);
        assert_eq!(en(1), "Please wait 1 second and try again.");
        assert_eq!(en(30), "Please wait 30 seconds and try again.");
    }
}
