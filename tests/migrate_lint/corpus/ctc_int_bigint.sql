-- expect: migrate/column-type-change-rewrites=error

ALTER TABLE orders ALTER COLUMN id TYPE bigint;
