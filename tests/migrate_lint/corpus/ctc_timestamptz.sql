-- expect: migrate/column-type-change-rewrites=error

ALTER TABLE events ALTER COLUMN at TYPE timestamptz;
