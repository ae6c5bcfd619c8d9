-- expect-none: migrate/syntax-error

SELECT 1;
