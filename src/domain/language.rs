//! The languages participants read: English, Shona and Ndebele (API.md, "Languages").
//!
//! Which one a page, a mail or an SMS uses: the participant's own `language` when known, else
//! `?lang=`, else the browser's `Accept-Language`, else English ([`Lang::negotiate`]).
//! Certificates stay in English.

/// A participant-facing language, by its ISO 639-1 code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    #[default]
    En,
    Sn,
    Nd,
}

impl Lang {
    /// Every language, English first (the fallback).
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Sn, Lang::Nd];

    /// The ISO 639-1 code: `en`, `sn`, `nd` (the API's and the `lang` attribute's spelling).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Sn => "sn",
            Lang::Nd => "nd",
        }
    }

    /// The language's name in itself, as the switch on every page shows it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Sn => "chiShona",
            Lang::Nd => "isiNdebele",
        }
    }

    /// `en`, `sn` or `nd` (case-insensitive; a region such as `sn-ZW` is accepted).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The most preferred of ours in an `Accept-Language` header (RFC 9110 §12.5.4): weights
    /// honoured, `q=0` meaning "not this one", `*` ignored (it names none of ours in particular).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, usize, Lang)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::parse) else {
                continue;
            };
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if !(weight > 0.0 && weight <= 1.0) {
                continue;
            }
            let weight = (weight * 1000.0).round() as u16;
            // Higher weight wins; among equals, the one named first.
            if best.is_none_or(|(w, p, _)| weight > w || (weight == w && position < p)) {
                best = Some((weight, position, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }

    /// The language for a participant-facing page, mail or SMS: the participant's own, else
    /// `?lang=`, else `Accept-Language`, else English.
    pub fn negotiate(
        participant: Option<Lang>,
        query: Option<&str>,
        accept_language: Option<&str>,
    ) -> Lang {
        participant
            .or_else(|| query.and_then(Lang::parse))
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn codes_parse_back_with_or_without_a_region() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::parse("SN-zw"), Some(Lang::Sn));
        assert_eq!(Lang::parse("nd_ZW"), Some(Lang::Nd));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn accept_language_takes_the_heaviest_of_ours() {
        assert_eq!(
            Lang::from_accept_language("fr, sn;q=0.8, en;q=0.5"),
            Some(Lang::Sn)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.4, nd-ZW;q=0.9"),
            Some(Lang::Nd)
        );
        assert_eq!(Lang::from_accept_language("sn;q=0, en"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, *;q=0.1"), None);
        assert_eq!(Lang::from_accept_language("sn, nd"), Some(Lang::Sn));
    }

    #[test]
    fn the_participants_own_language_comes_first_then_the_query_then_the_browser() {
        assert_eq!(
            Lang::negotiate(Some(Lang::Nd), Some("sn"), Some("en")),
            Lang::Nd
        );
        assert_eq!(Lang::negotiate(None, Some("sn"), Some("nd")), Lang::Sn);
        assert_eq!(Lang::negotiate(None, Some("xx"), Some("nd")), Lang::Nd);
        assert_eq!(Lang::negotiate(None, None, None), Lang::En);
    }
}
