-- expect: migrate/drop-schema=warning

DROP SCHEMA IF EXISTS reporting;
