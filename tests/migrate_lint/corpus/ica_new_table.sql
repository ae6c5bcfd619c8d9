-- expect: migrate/identity-column-add=notice

CREATE TABLE t_new (a int);
ALTER TABLE t_new ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
