-- dbwright:phase contract
-- dbwright:app new
-- dbwright:summary drop the trigger and response_status; http_status takes over its default
-- dbwright:deploy-before Deploy the application version that reads and writes app.webhook_deliveries.http_status (never response_status) to every instance; no instance of the old version may remain
-- dbwright:ignore-file drop-column the old version is retired before this step; the rollback restores the column
-- dbwright:lock-timeout 2s
--
-- Plan: rename column app.webhook_deliveries.response_status to http_status, step 4 of 4 (contract).
-- After this step only the new application version works.
-- Rollback: 20261124192636_contract_webhook_deliveries_response_status.down.sql

DROP TRIGGER IF EXISTS webhook_deliveries_sync_response_status_http_status ON app.webhook_deliveries;

DROP FUNCTION IF EXISTS app.webhook_deliveries_sync_response_status_http_status();

ALTER TABLE app.webhook_deliveries DROP COLUMN response_status;

