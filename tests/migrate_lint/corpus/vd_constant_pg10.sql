-- options: pg_version=10
-- expect: migrate/volatile-default

ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
