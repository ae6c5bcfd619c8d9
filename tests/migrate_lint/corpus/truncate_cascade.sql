-- expect: migrate/truncate-cascade

TRUNCATE orders CASCADE;
