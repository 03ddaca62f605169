//! The message catalogue: every text the platform sends, in Arabic and French, from Fluent
//! files (`locales/<language>/messages.ftl`), never from code.
//!
//! Arabic is the first language: a recipient whose language is unknown gets Arabic. Fluent
//! wraps each inserted value in directional isolates (U+2068 ... U+2069) so that a Latin
//! tracking code inside an Arabic sentence displays in the right order.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The languages of the catalogue.
pub const LANGUAGES: [&str; 2] = ["ar", "fr"];

const SOURCES: [(&str, &str); 2] = [
    ("ar", include_str!("../locales/ar/messages.ftl")),
    ("fr", include_str!("../locales/fr/messages.ftl")),
];

/// A catalogue could not be loaded (a syntax error in a `.ftl` file: a build defect).
#[derive(Debug, thiserror::Error)]
#[error("message catalogue `{language}`: {reason}")]
pub struct CatalogError {
    language: String,
    reason: String,
}

/// Both languages' messages.
pub struct Catalog {
    bundles: HashMap<&'static str, FluentBundle<FluentResource>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("languages", &LANGUAGES)
            .finish()
    }
}

impl Catalog {
    /// Loads the embedded catalogues.
    pub fn load() -> Result<Self, CatalogError> {
        let mut bundles = HashMap::new();
        for (language, source) in SOURCES {
            let error = |reason: String| CatalogError {
                language: language.to_owned(),
                reason,
            };
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| error(format!("{errors:?}")))?;
            let id: LanguageIdentifier = language.parse().map_err(|e| error(format!("{e}")))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            bundle
                .add_resource(resource)
                .map_err(|errors| error(format!("{errors:?}")))?;
            bundles.insert(language, bundle);
        }
        Ok(Self { bundles })
    }

    /// The language to use for `requested` (Arabic unless French is asked for).
    pub fn language(requested: &str) -> &'static str {
        if requested.eq_ignore_ascii_case("fr") {
            "fr"
        } else {
            "ar"
        }
    }

    /// The message `key` in `language`, with `args`; the key itself when it is missing (so
    /// a missing translation shows, rather than sending an empty text).
    pub fn render(&self, language: &str, key: &str, args: &[(&str, String)]) -> String {
        let Some(bundle) = self.bundles.get(Self::language(language)) else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    /// Whether `key` exists in every language.
    pub fn has(&self, key: &str) -> bool {
        LANGUAGES
            .iter()
            .all(|l| self.bundles.get(l).is_some_and(|b| b.has_message(key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_load_and_hold_the_same_keys() {
        let catalog = Catalog::load().unwrap();
        for key in [
            "reminder-subject",
            "reminder-body",
            "overdue-subject",
            "overdue-body",
            "escalation-subject",
            "escalation-body",
            "obligation-file-reply",
            "obligation-other",
            "file-received-subject",
            "file-received-body",
            "file-admitted-body",
            "file-inadmissible-body",
            "file-information-requested-body",
            "file-answered-body",
            "file-closed-body",
            "file-merged-body",
        ] {
            assert!(catalog.has(key), "{key}");
        }
    }

    #[test]
    fn messages_render_in_each_language_with_isolated_values() {
        let catalog = Catalog::load().unwrap();
        let args = [
            ("what", "la réponse au dossier".to_owned()),
            ("reference", "K7Q3-9XHD-2M4PX".to_owned()),
        ];
        let fr = catalog.render("fr", "reminder-subject", &args);
        assert_eq!(
            fr,
            "Rappel : \u{2068}la réponse au dossier\u{2069} (\u{2068}K7Q3-9XHD-2M4PX\u{2069})"
        );
        let ar = catalog.render("xx", "reminder-subject", &args);
        assert!(ar.starts_with("تذكير"), "{ar}");
        assert_eq!(catalog.render("fr", "no-such-key", &[]), "no-such-key");
    }
}
