-- Fills examples/saas (after schema.sql and seed.sql) to production-like sizes with
-- generate_series, for `bench/query_advise.sh`. The largest table, app.webhook_deliveries, gets
-- 5,000,000 rows (appended in attempted_at order, as the webhook worker writes them). Every row
-- satisfies the schema's constraints. Runs as a superuser (RLS is bypassed).
-- Scale: psql variable `scale` (default 1.0) multiplies every count, for quick runs.
\if :{?scale}
\else
  \set scale 1.0
\endif

SET synchronous_commit = off;
SET maintenance_work_mem = '256MB';

-- 200 more webhooks spread over the 4 accounts.
INSERT INTO app.webhooks (account_id, url, event_types, secret_hash, is_enabled, created_at)
SELECT 1 + g % 4, 'https://hooks' || g || '.example/in', '{ticket.created}', sha256(g::text::bytea),
       g % 10 <> 0, timestamptz '2026-01-01' + g * interval '1 hour'
  FROM generate_series(1, 200) AS g;

-- 5M delivery attempts over 120 days, in time order; 2% failed and due for a retry.
INSERT INTO app.webhook_deliveries (webhook_id, event_id, event_type, request_body, response_status,
                                    attempt, delivery_status, attempted_at, next_attempt_at)
SELECT 1 + (g * 7919) % 203, g, 'ticket.created', '{"v":1}'::json,
       CASE WHEN g % 50 = 0 THEN 503 ELSE 200 END,
       1 + g % 3,
       CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'succeeded' END,
       timestamptz '2026-07-27' + g * (interval '120 days' / (5000000 * :scale)),
       CASE WHEN g % 50 = 0 THEN timestamptz '2026-07-27' + g * (interval '120 days' / (5000000 * :scale)) + interval '1 hour' END
  FROM generate_series(1, (5000000 * :scale)::bigint) AS g;

-- 400k invoices of the 4 accounts' live subscriptions, one per account and day going back.
INSERT INTO billing.invoices (account_id, subscription_id, invoice_status, currency, period_start, period_end,
                              subtotal_cents, amount_paid_cents, due_at, finalized_at, paid_at, created_at)
SELECT a, CASE a WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 3 ELSE 4 END,
       (CASE WHEN g % 20 = 0 THEN 'open' ELSE 'paid' END)::billing.invoice_status, 'USD',
       timestamptz '2026-11-01' - g * interval '10 minutes',
       timestamptz '2026-11-01' - g * interval '10 minutes' + interval '1 month',
       1000 + g % 50000, CASE WHEN g % 20 = 0 THEN 0 ELSE 1000 + g % 50000 END,
       timestamptz '2026-11-15' - g * interval '10 minutes', timestamptz '2026-11-01' - g * interval '10 minutes',
       CASE WHEN g % 20 = 0 THEN NULL ELSE timestamptz '2026-11-02' - g * interval '10 minutes' END,
       timestamptz '2026-11-01' - g * interval '10 minutes'
  FROM generate_series(1, (100000 * :scale)::bigint) AS g, generate_series(1, 4) AS a;

-- 800k payments: two attempts per generated invoice (one failed, one succeeded).
INSERT INTO billing.payments (account_id, invoice_id, amount_cents, currency, payment_status, gateway,
                              gateway_reference, failure_reason, paid_at, created_at)
SELECT i.account_id, i.id, 1000 + i.id % 50000, 'USD',
       (CASE WHEN k = 1 THEN 'failed' ELSE 'succeeded' END)::billing.payment_status, 'stripe',
       'ch_' || i.id || '_' || k, CASE WHEN k = 1 THEN 'card_declined' END,
       CASE WHEN k = 2 THEN i.created_at + interval '1 day' END, i.created_at + k * interval '1 hour'
  FROM billing.invoices AS i, generate_series(1, 2) AS k
 WHERE i.id > 7;

-- 1.5M events over the four monthly partitions, payloads naming a ticket or an invoice.
INSERT INTO app.events (account_id, occurred_at, event_type, actor_user_id, payload)
SELECT 1 + g % 4, timestamptz '2026-08-01' + (g * (10368000.0 / (1500000 * :scale))) * interval '1 second',
       CASE WHEN g % 3 = 0 THEN 'invoice.paid' ELSE 'ticket.created' END, 1 + g % 7,
       CASE WHEN g % 3 = 0 THEN jsonb_build_object('invoice_id', g % 100000)
            ELSE jsonb_build_object('ticket_id', g % 100000) END
  FROM generate_series(1, (1500000 * :scale)::bigint) AS g;

-- 300k legacy partner payouts.
INSERT INTO billing.partner_payouts (account_id, partner_name, amount, processed_at, reference)
SELECT 1 + g % 4, 'Partner ' || g % 40, (g % 1000)::numeric::money,
       timestamp '2024-01-01' + g * interval '3 minutes', 'po-' || g
  FROM generate_series(1, (300000 * :scale)::bigint) AS g;

ANALYZE;
