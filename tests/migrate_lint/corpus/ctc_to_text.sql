-- expect: migrate/column-type-change-rewrites=warning

ALTER TABLE users ALTER COLUMN name TYPE text;
