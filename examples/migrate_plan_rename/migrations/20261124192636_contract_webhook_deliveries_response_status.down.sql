-- dbwright:transaction off
-- dbwright:lock-timeout 2s
-- Rollback of 20261124192636_contract_webhook_deliveries_response_status.up.sql: rename column app.webhook_deliveries.response_status to http_status, step 4 of 4 (contract).

ALTER TABLE app.webhook_deliveries ADD COLUMN response_status smallint;

UPDATE app.webhook_deliveries SET response_status = http_status;

ALTER TABLE app.webhook_deliveries ADD CONSTRAINT webhook_deliveries_response_status_check CHECK (response_status >= 100 AND response_status <= 599) NOT VALID;

ALTER TABLE app.webhook_deliveries VALIDATE CONSTRAINT webhook_deliveries_response_status_check;

COMMENT ON COLUMN app.webhook_deliveries.response_status IS 'HTTP status received; NULL on timeout or connection error.';

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

