-- options: pg_version=13
-- expect-none: migrate/non-concurrent-index

ALTER TABLE events DETACH PARTITION events_2023;
