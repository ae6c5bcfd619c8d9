-- expect-none: migrate/missing-lock-timeout

CREATE TABLE fresh (id bigint);
ALTER TABLE fresh ADD COLUMN name text;
