-- dbwright:phase expand
-- dbwright:app old
-- dbwright:summary add http_status (smallint, nullable, no default yet) and a trigger that keeps response_status and http_status equal whichever of them a writer sets
-- dbwright:ignore-file trigger-on-live-table the dual-write trigger is the point of the expand step
-- dbwright:lock-timeout 2s
--
-- Plan: rename column app.webhook_deliveries.response_status to http_status, step 1 of 4 (expand).
-- After this step only the old application version may run (the new one would read incomplete data).
-- Rollback: 20261124192633_expand_webhook_deliveries_http_status.down.sql

ALTER TABLE app.webhook_deliveries ADD COLUMN http_status smallint;

CREATE FUNCTION app.webhook_deliveries_sync_response_status_http_status() RETURNS trigger LANGUAGE plpgsql AS $dbwright$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.http_status IS NULL THEN NEW.http_status := NEW.response_status; ELSE NEW.response_status := NEW.http_status; END IF;
  ELSIF NEW.response_status IS DISTINCT FROM OLD.response_status THEN
    NEW.http_status := NEW.response_status;
  ELSIF NEW.http_status IS DISTINCT FROM OLD.http_status THEN
    NEW.response_status := NEW.http_status;
  END IF;
  RETURN NEW;
END
$dbwright$;

CREATE TRIGGER webhook_deliveries_sync_response_status_http_status BEFORE INSERT OR UPDATE ON app.webhook_deliveries FOR EACH ROW EXECUTE FUNCTION app.webhook_deliveries_sync_response_status_http_status();

COMMENT ON COLUMN app.webhook_deliveries.http_status IS 'HTTP status received; NULL on timeout or connection error.';

