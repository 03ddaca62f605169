-- Read models of the local registers (decree 2019-401), written by the projections of
-- `projections::local_democracy` through sqlx::Any: portable types only (text, bigint); local
-- dates as ISO text (`*_on`, they sort as dates), instants as Unix milliseconds (`*_at`),
-- booleans as 0/1, enums as their snake-case label, structured values as JSON text. Personal
-- data appears only sealed (the JSON of kernel::personal_data::Sealed), never in clear.
-- Every table is emptied and refilled by a rebuild.

-- The civil-society register of each local authority (art. 3-5, 8, 17).
CREATE TABLE ld_cso_registers
(
    local_authority  text PRIMARY KEY,
    opened_on        text NOT NULL,
    migration_due_on text NOT NULL,
    migration_window text NOT NULL, -- MonthTerm
    requirements     text NOT NULL, -- RegistrationRequirements
    bureau           text           -- the president's order, names sealed
);

-- One entry of a register: its public part and the bureau's part.
CREATE TABLE ld_cso_entries
(
    organisation_id             text   PRIMARY KEY,
    local_authority             text   NOT NULL,
    name                        text   NOT NULL,
    name_key                    text   NOT NULL, -- folded for "name contains"
    legal_form                  text,
    national_register_number    text,
    legal_publication_reference text,
    registered_office           text,
    fields                      text   NOT NULL, -- JSON array, as registered
    status                      text   NOT NULL, -- OrganisationStatus
    standing                    text   NOT NULL, -- the public standing
    registered_on               text   NOT NULL,
    imported                    bigint NOT NULL,
    channel                     text,
    request_reference           text,
    received_on                 text,
    paper_reference             text,
    imported_on                 text,
    eligibility                 text,
    representative              text,            -- sealed
    documents                   text   NOT NULL,
    missing                     text   NOT NULL, -- JSON array of art. 8 items
    regularisation_due_on       text,
    last_step_on                text   NOT NULL,
    updated_on                  text
);

CREATE INDEX ld_cso_entries_register ON ld_cso_entries (local_authority, registered_on, organisation_id);
CREATE INDEX ld_cso_entries_standing ON ld_cso_entries (local_authority, standing);
CREATE INDEX ld_cso_entries_status ON ld_cso_entries (local_authority, status);
CREATE INDEX ld_cso_entries_number ON ld_cso_entries (local_authority, national_register_number);

-- The fields of activity of each entry, for the field filter.
CREATE TABLE ld_cso_fields
(
    organisation_id text   NOT NULL,
    ordinal         bigint NOT NULL,
    field           text   NOT NULL,
    field_key       text   NOT NULL, -- folded
    PRIMARY KEY (organisation_id, ordinal)
);

CREATE INDEX ld_cso_fields_key ON ld_cso_fields (field_key, organisation_id);

-- Every dated act on an entry (registration, import, update, art. 9 steps, withdrawal).
CREATE TABLE ld_cso_steps
(
    organisation_id text   NOT NULL,
    sequence        bigint NOT NULL,
    step            text   NOT NULL,
    on_date         text   NOT NULL,
    reference       text,
    detail          text   NOT NULL, -- JSON
    PRIMARY KEY (organisation_id, sequence)
);

-- The register of opinions and questions (art. 10-13): one row per entry.
CREATE TABLE ld_opinion_entries
(
    entry_id          text   PRIMARY KEY,
    local_authority   text   NOT NULL,
    number            bigint NOT NULL,
    section_number    bigint NOT NULL,
    section           text   NOT NULL, -- Section (JSON)
    draft_by_law      text,
    finance_topic     text,
    deliberation_on   text,
    kind              text   NOT NULL,
    author_kind       text   NOT NULL,
    residence_ground  text,
    organisation_id   text,
    addresses         text   NOT NULL,
    contact           text   NOT NULL, -- sealed
    entry_text        text   NOT NULL, -- sealed
    filed_at          bigint NOT NULL,
    answers           bigint NOT NULL,
    first_answered_at bigint,
    last_answered_at  bigint,
    consultations     bigint NOT NULL,
    proposals         bigint NOT NULL,
    correspondences   bigint NOT NULL,
    meetings          bigint NOT NULL,
    minutes           bigint NOT NULL
);

CREATE INDEX ld_opinion_entries_register ON ld_opinion_entries (local_authority, number, entry_id);
CREATE INDEX ld_opinion_entries_section ON ld_opinion_entries (local_authority, section_number, number);
CREATE INDEX ld_opinion_entries_kind ON ld_opinion_entries (local_authority, kind, number);
CREATE INDEX ld_opinion_entries_answers ON ld_opinion_entries (local_authority, answers, number);

CREATE TABLE ld_opinion_answers
(
    entry_id    text   NOT NULL,
    answer      bigint NOT NULL,
    answered_at bigint NOT NULL,
    answered_by text   NOT NULL,
    role        text   NOT NULL,
    answer_text text   NOT NULL, -- sealed
    PRIMARY KEY (entry_id, answer)
);

-- The committee's acts of art. 13 on an entry.
CREATE TABLE ld_opinion_committee_acts
(
    entry_id      text   NOT NULL,
    sequence      bigint NOT NULL,
    act           text   NOT NULL,
    number        bigint,
    proposal_kind text,
    acted_at      bigint NOT NULL,
    meeting_at    bigint,
    by_actor      text   NOT NULL,
    role          text,
    channels      text   NOT NULL,
    sealed_text   text,            -- sealed
    PRIMARY KEY (entry_id, sequence)
);

-- The council's sessions, reports and summaries (art. 14-15): public data only.
CREATE TABLE ld_council_sessions
(
    session_id          text PRIMARY KEY,
    local_authority     text NOT NULL,
    session_date        text NOT NULL,
    first_scheduled_for text NOT NULL,
    status              text NOT NULL,
    report_due_on       text,
    report_due_at       bigint,
    report_filed_at     bigint,
    report              text,
    public_summary      text,
    held_on             text,
    posting_due_on      text,
    posting_due_at      bigint,
    posted_at           bigint,
    posted_late         bigint,
    display_until_on    text,
    display_until_at    bigint,
    taken_down_at       bigint
);

CREATE INDEX ld_council_sessions_calendar ON ld_council_sessions (local_authority, session_date, session_id);
CREATE INDEX ld_council_sessions_status ON ld_council_sessions (local_authority, status);
