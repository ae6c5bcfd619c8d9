-- expect-none: migrate/attach-partition-without-check

ALTER TABLE measurements_2024 ADD CONSTRAINT m2024_bounds CHECK (at >= '2024-01-01' AND at < '2025-01-01') NOT VALID;
ALTER TABLE measurements_2024 VALIDATE CONSTRAINT m2024_bounds;
ALTER TABLE measurements ATTACH PARTITION measurements_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
