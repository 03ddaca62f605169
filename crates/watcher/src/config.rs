//! Rule values of the Citizen Watcher that are configuration, not law, with their defaults.
//!
//! Decree 93-147 (as amended by 2016-1072) and the department's page (legal text 004) set the
//! missions, not these numbers: every default below is an **assumption** of the project, to
//! be confirmed by the Public Service Quality Department, and lives here so that changing it
//! is a configuration change, never a code change. Values that shape a stored result (the
//! critical cap) are copied into the events that used them, so a later change never rewrites
//! history.

use serde::{Deserialize, Serialize};

use kernel::{OrganisationId, TextLimits};

use crate::scoring::Percentage;

/// The configuration of the watcher domain. Deserializes from the deployment's configuration
/// file; missing keys take their default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WatcherConfig {
    /// The score a visit cannot exceed when a critical criterion failed. Default 49.00: a
    /// visit failing a critical criterion can never pass the usual 50 mark. Copied into each
    /// checklist version at publication.
    pub critical_cap: Percentage,
    /// The authorities corruption referrals may be sent to (organisations of kind
    /// `ExternalAuthority`: the national anti-corruption authority, the prosecutors...).
    /// Default empty: the list is the deployment's, and nothing can be referred until it is set.
    pub competent_authorities: Vec<OrganisationId>,
    /// Titles and names (checklists, campaigns, surveys, service points): one line, default 200.
    pub title_max_chars: usize,
    /// Short one-line fields (an address, a service asked, a criterion label), default 500.
    pub line_max_chars: usize,
    /// Free texts (observations, findings, remarks, corrective actions, referral summaries),
    /// default 10 000.
    pub body_max_chars: usize,
    /// Criteria in one checklist version, default 200.
    pub max_criteria: usize,
    /// Highest weight of a criterion or a survey question, default 100 (the lowest is 1).
    pub max_weight: u16,
    /// Questions in one survey questionnaire, default 60.
    pub max_questions: usize,
    /// Evidence attachments of one visit, default 30.
    pub max_evidence_per_visit: usize,
    /// Size of one evidence attachment, default 25 MiB.
    pub max_evidence_bytes: u64,
    /// Media types evidence may have, default JPEG, PNG, WebP and HEIC photos, PDF documents,
    /// MP3 and AAC audio.
    pub evidence_media_types: Vec<String>,
    /// Findings of one visit, default 50.
    pub max_findings_per_visit: usize,
    /// How far ahead of the server's clock a visit's stated time may be, to absorb a phone's
    /// clock drift, default 300 seconds. Beyond it the time is "in the future" and refused.
    pub clock_skew_tolerance_seconds: u32,
    /// Longest waiting time that can be recorded, default 43 200 minutes (30 days: an e-mail
    /// left unanswered for a month).
    pub max_waiting_minutes: u32,
    /// How far ahead a body may set the date of a corrective action, default 365 days.
    pub max_corrective_action_days: u32,
    /// The programme's coverage target: share of service points visited, default 80.00
    /// (department page, 2020-2021 programme).
    pub coverage_target: Percentage,
}

impl Default for WatcherConfig {
    fn default() -> Self {
        Self {
            critical_cap: Percentage::saturating(4_900),
            competent_authorities: Vec::new(),
            title_max_chars: 200,
            line_max_chars: 500,
            body_max_chars: 10_000,
            max_criteria: 200,
            max_weight: 100,
            max_questions: 60,
            max_evidence_per_visit: 30,
            max_evidence_bytes: 25 * 1024 * 1024,
            evidence_media_types: [
                "image/jpeg",
                "image/png",
                "image/webp",
                "image/heic",
                "application/pdf",
                "audio/mpeg",
                "audio/aac",
            ]
            .map(String::from)
            .to_vec(),
            max_findings_per_visit: 50,
            clock_skew_tolerance_seconds: 300,
            max_waiting_minutes: 43_200,
            max_corrective_action_days: 365,
            coverage_target: Percentage::saturating(8_000),
        }
    }
}

impl WatcherConfig {
    /// Limits of a title or name.
    pub(crate) fn title(&self) -> TextLimits {
        TextLimits::line(self.title_max_chars)
    }

    /// Limits of a short one-line field.
    pub(crate) fn line(&self) -> TextLimits {
        TextLimits::line(self.line_max_chars)
    }

    /// Limits of a free text.
    pub(crate) fn body(&self) -> TextLimits {
        TextLimits::body(self.body_max_chars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_values() {
        let config = WatcherConfig::default();
        assert_eq!(config.critical_cap.to_string(), "49.00");
        assert_eq!(config.coverage_target.to_string(), "80.00");
        assert!(config.competent_authorities.is_empty());
    }

    #[test]
    fn missing_keys_take_their_default_and_unknown_keys_are_refused() {
        let config: WatcherConfig = serde_json::from_str(r#"{"critical_cap": 3900}"#).unwrap();
        assert_eq!(config.critical_cap.basis_points(), 3900);
        assert_eq!(config.max_criteria, WatcherConfig::default().max_criteria);
        assert!(serde_json::from_str::<WatcherConfig>(r#"{"critical_capp": 1}"#).is_err());
    }
}
