-- expect: migrate/syntax-error

UPDATE users SET name = 'oops WHERE id = 1;
