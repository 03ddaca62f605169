-- The sealed contact of each citizen file's author, kept by the notifications projection so
-- that later steps (the signed answer) can be announced. Sealed: erasing the author's key
-- makes it unreadable here too.
CREATE TABLE author_contacts
(
    file_id       text PRIMARY KEY,
    tracking_code text NOT NULL,
    details       text NOT NULL
);
