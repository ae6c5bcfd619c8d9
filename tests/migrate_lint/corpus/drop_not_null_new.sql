-- expect-none: migrate/drop-not-null

CREATE TABLE leads (email text NOT NULL);
ALTER TABLE leads ALTER COLUMN email DROP NOT NULL;
