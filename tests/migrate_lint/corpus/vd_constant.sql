-- expect-none: migrate/volatile-default
-- expect-none: migrate/not-null-without-default

ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
