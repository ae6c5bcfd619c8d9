-- dbwright:lock-timeout 2s
-- Rollback of 20261124192633_expand_webhook_deliveries_http_status.up.sql: rename column app.webhook_deliveries.response_status to http_status, step 1 of 4 (expand).

DROP TRIGGER IF EXISTS webhook_deliveries_sync_response_status_http_status ON app.webhook_deliveries;

DROP FUNCTION IF EXISTS app.webhook_deliveries_sync_response_status_http_status();

ALTER TABLE app.webhook_deliveries DROP COLUMN IF EXISTS http_status;

