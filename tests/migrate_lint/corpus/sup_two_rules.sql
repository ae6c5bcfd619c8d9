-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/missing-lock-timeout
-- expect-none: migrate/unused-ignore

-- dbwright:ignore non-concurrent-index,missing-lock-timeout maintenance window
CREATE INDEX countries_name_idx ON countries (name);
