-- expect: migrate/prefer-timestamptz

ALTER TABLE users ADD COLUMN last_login timestamp without time zone;
