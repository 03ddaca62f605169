-- Draft regulatory by-laws a local authority published for comment (decree 2019-401
-- art. 11, section 4): entries of that section refer to one and close at its deliberation.
CREATE TABLE draft_bylaws
(
    local_authority text NOT NULL REFERENCES organisations (id),
    id              text NOT NULL,
    title_ar        text NOT NULL,
    title_fr        text NOT NULL,
    published_on    text NOT NULL,
    deliberation_on text,
    PRIMARY KEY (local_authority, id)
);
