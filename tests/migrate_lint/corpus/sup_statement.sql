-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/unused-ignore

-- dbwright:ignore non-concurrent-index small lookup table, 40 rows
CREATE INDEX countries_name_idx ON countries (name);
