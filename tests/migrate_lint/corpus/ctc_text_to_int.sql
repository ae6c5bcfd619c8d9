-- expect: migrate/column-type-change-rewrites=error

ALTER TABLE orders ALTER COLUMN code TYPE integer USING code::integer;
