//! The semester report's words in French and Arabic: titles, column headings, notes, and
//! the names of governorates, themes, finding classes and corruption categories.

use kernel::organisation::Governorate;
use watcher::{CorruptionCategory, Theme};

use super::semester::{FindingClass, Language, Semester};

/// A label in both languages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Label {
    fr: &'static str,
    ar: &'static str,
}

impl Label {
    pub(crate) fn get(self, language: Language) -> &'static str {
        match language {
            Language::Fr => self.fr,
            Language::Ar => self.ar,
        }
    }
}

const fn label(fr: &'static str, ar: &'static str) -> Label {
    Label { fr, ar }
}

/// The fixed words of one table.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SectionLabels {
    pub(crate) id: &'static str,
    pub(crate) title: Label,
    pub(crate) columns: &'static [Label],
    pub(crate) notes: &'static [Label],
}

/// `{semester}` and `{year}` are replaced.
pub(crate) const TITLE: Label = label(
    "Citoyen superviseur : rapport d'activité, {semester} {year}",
    "المواطن الرقيب: تقرير النشاط، {semester} {year}",
);
pub(crate) const TOTAL: Label = label("Total", "المجموع");
pub(crate) const ALL: Label = label("Ensemble", "الجملة");
pub(crate) const YES: Label = label("oui", "نعم");
pub(crate) const NO: Label = label("non", "لا");

pub(crate) const VISITS: SectionLabels = SectionLabels {
    id: "visits",
    title: label("Visites par gouvernorat", "الزيارات حسب الولاية"),
    columns: &[
        label("Gouvernorat", "الولاية"),
        label("Planifiées", "المبرمجة"),
        label("Annulées", "الملغاة"),
        label("Effectuées", "المنجزة"),
        label("Acceptées", "المقبولة"),
    ],
    notes: &[label(
        "Planifiées et annulées : selon la date de la décision ; effectuées et acceptées : \
         selon la date de la visite (heure de Tunis). Une visite acceptée a été validée par un \
         superviseur.",
        "المبرمجة والملغاة: حسب تاريخ القرار؛ المنجزة والمقبولة: حسب تاريخ الزيارة (توقيت \
         تونس). الزيارة المقبولة هي التي صادق عليها مشرف.",
    )],
};

pub(crate) const SCORES_BY_BODY: SectionLabels = SectionLabels {
    id: "scores-by-body",
    title: label("Scores par organisme", "الأعداد حسب الهيكل"),
    columns: &[
        label("Organisme", "الهيكل"),
        label("Visites acceptées", "الزيارات المقبولة"),
        label("Score moyen (sur 100)", "المعدل (من 100)"),
    ],
    notes: &[label(
        "Moyenne des scores des visites acceptées effectuées dans le semestre, arrondie au \
         centième inférieur ; organismes désignés par leur identifiant dans l'annuaire.",
        "معدل أعداد الزيارات المقبولة المنجزة خلال السداسي، مقرّب إلى الجزء من المائة الأدنى؛ \
         الهياكل مبيّنة بمعرّفها في الدليل.",
    )],
};

pub(crate) const SCORES_BY_THEME: SectionLabels = SectionLabels {
    id: "scores-by-theme",
    title: label("Scores par thème", "الأعداد حسب المحور"),
    columns: &[
        label("Thème", "المحور"),
        label("Visites", "الزيارات"),
        label("Score moyen (sur 100)", "المعدل (من 100)"),
    ],
    notes: &[label(
        "Score de chaque thème avant le plafonnement dû à un critère éliminatoire.",
        "عدد كل محور قبل التسقيف الناتج عن معيار إقصائي.",
    )],
};

/// The last column's `{date}` is the semester's last day.
pub(crate) const FINDINGS: SectionLabels = SectionLabels {
    id: "findings",
    title: label(
        "Constats et actions correctives",
        "الملاحظات والإجراءات التصحيحية",
    ),
    columns: &[
        label("Constat", "الملاحظة"),
        label("Constats", "العدد"),
        label("Avec action corrective", "مع إجراء تصحيحي"),
        label("Mis en œuvre (vérifiés)", "منفذة (بعد التثبت)"),
        label("Ouverts", "مفتوحة"),
        label("En retard au {date}", "متأخرة في {date}"),
    ],
    notes: &[label(
        "Constats des rapports envoyés pour les visites du semestre. Ouvert : non vérifié mis \
         en œuvre à la date du rapport. En retard : ouvert, l'action promise étant due au plus \
         tard le dernier jour du semestre.",
        "ملاحظات التقارير المرسلة بخصوص زيارات السداسي. مفتوحة: لم يثبت تنفيذها في تاريخ \
         التقرير. متأخرة: مفتوحة وقد حلّ أجل الإجراء المعلن عنه في آخر يوم من السداسي أو قبله.",
    )],
};

pub(crate) const REFERRALS: SectionLabels = SectionLabels {
    id: "referrals",
    title: label(
        "Signalements aux autorités compétentes",
        "الإحالات على الجهات المختصة",
    ),
    columns: &[
        label("Catégorie", "الصنف"),
        label("Autorité", "الجهة"),
        label("Signalés", "المحالة"),
        label("Accusés de réception", "وصل الاستلام"),
        label("Poursuites engagées", "إثارة تتبعات"),
        label("Sanctions prononcées", "تسليط عقوبات"),
        label("Classés sans suite", "الحفظ"),
        label("Incompétence", "عدم الاختصاص"),
        label("Sans décision", "دون قرار"),
    ],
    notes: &[label(
        "Signalements envoyés dans le semestre et leur suite à la date du rapport ; autorités \
         désignées par leur identifiant dans l'annuaire.",
        "الإحالات المرسلة خلال السداسي ومآلها في تاريخ التقرير؛ الجهات مبيّنة بمعرّفها في \
         الدليل.",
    )],
};

pub(crate) const COVERAGE: SectionLabels = SectionLabels {
    id: "coverage",
    title: label("Couverture géographique", "التغطية الجغرافية"),
    columns: &[
        label("Gouvernorat", "الولاية"),
        label("Points de service actifs", "نقاط الخدمة الناشطة"),
        label("Visités", "التي تمت زيارتها"),
        label("Taux (%)", "النسبة (%)"),
        label("Objectif (%)", "الهدف (%)"),
        label("Objectif atteint", "تحقق الهدف"),
    ],
    notes: &[label(
        "Points de service actifs le dernier jour du semestre ; visités : au moins une visite \
         acceptée effectuée dans le semestre. Taux arrondi au centième inférieur.",
        "نقاط الخدمة الناشطة في آخر يوم من السداسي؛ التي تمت زيارتها: زيارة مقبولة واحدة على \
         الأقل منجزة خلال السداسي. النسبة مقرّبة إلى الجزء من المائة الأدنى.",
    )],
};

pub(crate) const SATISFACTION: SectionLabels = SectionLabels {
    id: "satisfaction",
    title: label("Indice de satisfaction", "مؤشر الرضا"),
    columns: &[
        label("Point de service", "نقطة الخدمة"),
        label("Gouvernorat", "الولاية"),
        label("Réponses", "الإجابات"),
        label("Indice (sur 100)", "المؤشر (من 100)"),
    ],
    notes: &[label(
        "Moyenne des satisfactions des réponses données dans le semestre, chacune comptant une \
         fois, arrondie au centième inférieur.",
        "معدل رضا الإجابات المقدمة خلال السداسي، تحتسب كل إجابة مرة واحدة، مقرّب إلى الجزء من \
         المائة الأدنى.",
    )],
};

pub(crate) fn semester(semester: Semester) -> Label {
    match semester {
        Semester::First => label("premier semestre", "السداسي الأول"),
        Semester::Second => label("second semestre", "السداسي الثاني"),
    }
}

pub(crate) fn finding_class(class: FindingClass) -> Label {
    match class {
        FindingClass::Serious => label("Manquement grave", "إخلال خطير"),
        FindingClass::Moderate => label("Manquement modéré", "إخلال متوسط"),
        FindingClass::Minor => label("Manquement mineur", "إخلال بسيط"),
        FindingClass::Recommendation => label("Recommandation", "توصية"),
    }
}

pub(crate) fn theme(theme: Theme) -> Label {
    match theme {
        Theme::Reception => label("Accueil", "الاستقبال"),
        Theme::Waiting => label("Attente", "الانتظار"),
        Theme::Information => label("Information", "الإرشاد"),
        Theme::AgentBehaviour => label("Comportement des agents", "سلوك الأعوان"),
        Theme::Integrity => label("Intégrité", "النزاهة"),
        Theme::Accessibility => label("Accessibilité", "سهولة النفاذ"),
        Theme::QualityLabel => label("Label « Marhba »", "علامة «مرحبا»"),
    }
}

/// Words of the department's page (legal text 004).
pub(crate) fn category(category: CorruptionCategory) -> Label {
    match category {
        CorruptionCategory::Extortion => label("Extorsion", "الابتزاز"),
        CorruptionCategory::Unfairness => label("Iniquité", "الحيف"),
        CorruptionCategory::AbuseOfInfluence => label("Abus d'influence", "الاستخدام السيئ للنفوذ"),
        CorruptionCategory::BreachOfEquality => {
            label("Atteinte à l'égalité", "الإخلال بمبدأ المساواة")
        }
        CorruptionCategory::BreachOfIntegrity => {
            label("Atteinte à l'intégrité", "الإخلال بمبدأ النزاهة")
        }
        CorruptionCategory::BreachOfTransparency => {
            label("Atteinte à la transparence", "الإخلال بمبدأ الشفافية")
        }
    }
}

pub(crate) fn governorate(governorate: Governorate) -> Label {
    match governorate {
        Governorate::Tunis => label("Tunis", "تونس"),
        Governorate::Ariana => label("Ariana", "أريانة"),
        Governorate::BenArous => label("Ben Arous", "بن عروس"),
        Governorate::Manouba => label("Manouba", "منوبة"),
        Governorate::Nabeul => label("Nabeul", "نابل"),
        Governorate::Zaghouan => label("Zaghouan", "زغوان"),
        Governorate::Bizerte => label("Bizerte", "بنزرت"),
        Governorate::Beja => label("Béja", "باجة"),
        Governorate::Jendouba => label("Jendouba", "جندوبة"),
        Governorate::Kef => label("Le Kef", "الكاف"),
        Governorate::Siliana => label("Siliana", "سليانة"),
        Governorate::Sousse => label("Sousse", "سوسة"),
        Governorate::Monastir => label("Monastir", "المنستير"),
        Governorate::Mahdia => label("Mahdia", "المهدية"),
        Governorate::Sfax => label("Sfax", "صفاقس"),
        Governorate::Kairouan => label("Kairouan", "القيروان"),
        Governorate::Kasserine => label("Kasserine", "القصرين"),
        Governorate::SidiBouzid => label("Sidi Bouzid", "سيدي بوزيد"),
        Governorate::Gabes => label("Gabès", "قابس"),
        Governorate::Medenine => label("Médenine", "مدنين"),
        Governorate::Tataouine => label("Tataouine", "تطاوين"),
        Governorate::Gafsa => label("Gafsa", "قفصة"),
        Governorate::Tozeur => label("Tozeur", "توزر"),
        Governorate::Kebili => label("Kébili", "قبلي"),
    }
}
