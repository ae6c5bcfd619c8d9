-- dbwright:lock-timeout 2s
-- Rollback of 20261124192634_backfill_webhook_deliveries_http_status.up.sql: rename column app.webhook_deliveries.response_status to http_status, step 2 of 4 (backfill).

-- Nothing to undo: this step changed no schema object the earlier steps' rollbacks do not remove.
