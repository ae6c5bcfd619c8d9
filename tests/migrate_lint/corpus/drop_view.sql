-- expect-none: migrate/drop-table
-- expect-none: migrate/drop-schema
-- expect-none: migrate/drop-database

DROP VIEW IF EXISTS active_users;
