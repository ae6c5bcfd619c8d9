-- expect: migrate/missing-lock-timeout

ALTER TABLE users ADD COLUMN note text;
SET lock_timeout = '2s';
