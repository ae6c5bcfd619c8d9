-- expect: migrate/drop-not-null

ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
