-- expect-none: migrate/column-type-change-rewrites

ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'new';
