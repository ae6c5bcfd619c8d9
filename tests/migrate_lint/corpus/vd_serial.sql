-- expect: migrate/volatile-default

ALTER TABLE users ADD COLUMN seq serial;
