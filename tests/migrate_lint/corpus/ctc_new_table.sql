-- expect: migrate/column-type-change-rewrites=notice

CREATE TABLE drafts (id int);
ALTER TABLE drafts ALTER COLUMN id TYPE bigint;
