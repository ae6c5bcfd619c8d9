-- expect: migrate/non-idempotent

CREATE TABLE things (id bigint);
