-- expect: migrate/avoid-char

ALTER TABLE users ADD COLUMN locale character(5);
