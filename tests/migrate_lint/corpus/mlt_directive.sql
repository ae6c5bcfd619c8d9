-- dbwright:lock-timeout 2s
-- expect-none: migrate/missing-lock-timeout

ALTER TABLE users ADD COLUMN note text;
