-- The per-register counter entry numbers of the registers of opinions are drawn from
-- (decree 2019-401 art. 12; crates/opinions: numbers come in the filing command). Unique
-- and increasing; a refused filing leaves a harmless gap.
CREATE TABLE opinion_entry_numbers
(
    local_authority text   PRIMARY KEY,
    last_number     bigint NOT NULL
);
