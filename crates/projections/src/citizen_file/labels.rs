//! The words of the performance report, in French and Arabic: one small table, matched
//! exhaustively, so that a new kind, channel or state cannot appear without its label.

use citizen_file::{Channel, FileKind, ReferralStatus};
use serde::{Deserialize, Serialize};

use super::detail::FileState;

/// The language of a report's labels (Arabic first on the platform, French second).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportLanguage {
    /// Arabic (the page reads right to left).
    #[default]
    Ar,
    /// French.
    Fr,
}

impl ReportLanguage {
    /// `ar` or `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ar => "ar",
            Self::Fr => "fr",
        }
    }

    /// The French or the Arabic wording.
    pub(crate) fn pick(self, fr: &'static str, ar: &'static str) -> &'static str {
        match self {
            Self::Ar => ar,
            Self::Fr => fr,
        }
    }

    pub(crate) fn kind(self, kind: FileKind) -> &'static str {
        match kind {
            FileKind::Petition => self.pick("Pétition", "عريضة"),
            FileKind::GuidanceRequest => self.pick("Demande d'orientation", "طلب إرشاد"),
            FileKind::Suggestion => self.pick("Suggestion", "اقتراح"),
            FileKind::Notification => self.pick("Signalement", "إشعار"),
        }
    }

    pub(crate) fn channel(self, channel: Channel) -> &'static str {
        match channel {
            Channel::Online => self.pick("En ligne", "عبر المنظومة"),
            Channel::Counter => self.pick("Guichet", "الشباك"),
            Channel::Mail => self.pick("Courrier", "البريد"),
            Channel::Phone => self.pick("Téléphone", "الهاتف"),
            Channel::Fax => self.pick("Fax", "الفاكس"),
            Channel::Email => self.pick("Courriel", "البريد الإلكتروني"),
        }
    }

    pub(crate) fn file_state(self, state: FileState) -> &'static str {
        match state {
            FileState::Received => self.pick("Reçu", "تم الاستلام"),
            FileState::UnderStudy => self.pick("En cours d'étude", "قيد الدراسة"),
            FileState::AwaitingInformation => {
                self.pick("En attente d'informations", "في انتظار معطيات")
            }
            FileState::Referred => self.pick("Transmis à une structure", "محال على هيكل"),
            FileState::AnswerDrafted => self.pick("Réponse à signer", "إجابة في انتظار الإمضاء"),
            FileState::Answered => self.pick("Répondu", "تمت الإجابة"),
            FileState::Closed => self.pick("Clos", "مغلق"),
            FileState::Merged => self.pick("Fusionné", "مدمج"),
        }
    }

    pub(crate) fn referral_state(self, status: ReferralStatus) -> &'static str {
        match status {
            ReferralStatus::Pending => self.pick("En attente", "في الانتظار"),
            ReferralStatus::Acknowledged => self.pick("Accusé de réception", "تم الإعلام بالبلوغ"),
            ReferralStatus::Replied => self.pick("Répondu", "تم الرد"),
            ReferralStatus::Returned => self.pick("Renvoyé (non compétent)", "أُرجع (عدم الاختصاص)"),
        }
    }
}
