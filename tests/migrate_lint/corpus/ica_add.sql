-- expect: migrate/identity-column-add

ALTER TABLE legacy ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
