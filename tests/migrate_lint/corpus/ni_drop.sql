-- expect: migrate/non-idempotent

DROP TABLE things;
