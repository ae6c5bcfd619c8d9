-- dbwright:phase build
-- dbwright:app old new
-- dbwright:summary give http_status what response_status has: CHECK constraints (NOT VALID, then validated)
-- dbwright:transaction off
-- dbwright:lock-timeout 2s
--
-- Plan: rename column app.webhook_deliveries.response_status to http_status, step 3 of 4 (build).
-- After this step both the old and the new application versions work.
-- Rollback: 20261124192635_build_webhook_deliveries_http_status.down.sql

ALTER TABLE app.webhook_deliveries ADD CONSTRAINT webhook_deliveries_response_status_check_renamed CHECK (http_status >= 100 AND http_status <= 599) NOT VALID;

ALTER TABLE app.webhook_deliveries VALIDATE CONSTRAINT webhook_deliveries_response_status_check_renamed;

