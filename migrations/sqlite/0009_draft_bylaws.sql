-- Draft regulatory by-laws published for comment (see migrations/postgres/0009).
CREATE TABLE draft_bylaws
(
    local_authority TEXT NOT NULL REFERENCES organisations (id),
    id              TEXT NOT NULL,
    title_ar        TEXT NOT NULL,
    title_fr        TEXT NOT NULL,
    published_on    TEXT NOT NULL,
    deliberation_on TEXT,
    PRIMARY KEY (local_authority, id)
) STRICT;
