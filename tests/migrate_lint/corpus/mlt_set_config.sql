-- expect-none: migrate/missing-lock-timeout

SELECT set_config('lock_timeout', '3s', false);
ALTER TABLE users DROP COLUMN IF EXISTS note;
