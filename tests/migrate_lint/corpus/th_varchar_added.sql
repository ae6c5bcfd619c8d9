-- expect: migrate/prefer-text

ALTER TABLE users ADD COLUMN nickname varchar(30);
