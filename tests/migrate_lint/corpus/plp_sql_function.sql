-- expect-none: migrate/non-concurrent-index
-- expect-none: migrate/syntax-error

CREATE FUNCTION add1(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
