-- expect: migrate/missing-lock-timeout
-- expect: migrate/trigger-on-live-table

CREATE TRIGGER users_audit AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit();
