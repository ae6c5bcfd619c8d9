-- expect-none: migrate/add-pk-or-unique-without-using-index

ALTER TABLE legacy ADD CONSTRAINT legacy_pkey PRIMARY KEY USING INDEX legacy_id_idx;
