-- expect-none: migrate/identity-column-add

ALTER TABLE legacy ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
