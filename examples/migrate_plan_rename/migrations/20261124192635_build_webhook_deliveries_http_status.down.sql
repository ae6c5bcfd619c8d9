-- dbwright:lock-timeout 2s
-- Rollback of 20261124192635_build_webhook_deliveries_http_status.up.sql: rename column app.webhook_deliveries.response_status to http_status, step 3 of 4 (build).

ALTER TABLE app.webhook_deliveries DROP CONSTRAINT IF EXISTS webhook_deliveries_response_status_check_renamed;

