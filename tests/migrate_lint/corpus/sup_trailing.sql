-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/unused-ignore

CREATE INDEX countries_name_idx ON countries (name); -- dbwright:ignore non-concurrent-index tiny table
