-- Which streams hold values sealed under each data subject's key (projection
-- personal_data.subject_streams), for a person's access request (law 2004-63).
-- Identifiers only: the data stays sealed in the events.
CREATE TABLE subject_streams
(
    subject_id     text   NOT NULL,
    aggregate_type text   NOT NULL,
    aggregate_id   text   NOT NULL,
    first_position bigint NOT NULL,
    PRIMARY KEY (subject_id, aggregate_type, aggregate_id)
);
