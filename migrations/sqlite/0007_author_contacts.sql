-- The sealed contact of each citizen file's author (see migrations/postgres/0007).
CREATE TABLE author_contacts
(
    file_id       TEXT PRIMARY KEY,
    tracking_code TEXT NOT NULL,
    details       TEXT NOT NULL
) STRICT;
