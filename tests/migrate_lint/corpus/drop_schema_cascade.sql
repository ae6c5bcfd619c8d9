-- expect: migrate/drop-schema=error

DROP SCHEMA reporting CASCADE;
