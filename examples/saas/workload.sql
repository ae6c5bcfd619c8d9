-- Application workload for the "Helpline" example (examples/saas/schema.sql).
--
-- The queries the web app, the public API and the background workers send, with literal
-- values in place of bind parameters so that every statement runs (or EXPLAINs) as is
-- against the seeded database. Each statement is preceded by a "-- name:" line (a stable id
-- for reports) and a one-line description of where it comes from. Some are deliberately
-- shaped the way real applications get them wrong (leading-wildcard LIKE, N+1 loops,
-- OFFSET paging, a JSONB ->> filter that the jsonb_path_ops index cannot serve, an
-- unindexed foreign key scan); the query tools are expected to point those out.
--
-- In production every request first runs SET LOCAL app.account_id = '<tenant>' (RLS);
-- the tenant filter is also spelled out in each query so the planner can use the indexes.

-- name: dashboard_account_overview
-- Dashboard header: plan, seats, status and period of the account's live subscription.
SELECT a.name, p.name AS plan_name, pp.billing_interval, s.quantity AS seats,
       s.subscription_status, s.current_period_end
  FROM app.accounts AS a
  JOIN billing.subscriptions AS s
    ON s.account_id = a.id
   AND s.subscription_status IN ('incomplete', 'trialing', 'active', 'past_due')
  JOIN billing.plan_prices AS pp ON pp.id = s.plan_price_id
  JOIN billing.plans AS p ON p.id = pp.plan_id
 WHERE a.id = 1;

-- name: dashboard_unsolved_tickets
-- Dashboard: unsolved tickets of the account, most urgent first.
SELECT t.id, t.subject, t.priority, t.ticket_status, t.created_at, u.full_name AS assignee
  FROM app.tickets AS t
  LEFT JOIN app.users AS u ON u.id = t.assignee_user_id
 WHERE t.account_id = 1
   AND t.ticket_status IN ('open', 'pending')
 ORDER BY t.priority DESC, t.created_at
 LIMIT 50;

-- name: ticket_search_fulltext
-- Search box in the inbox (full-text, ranked).
SELECT id, subject, ts_rank(search_vector, q) AS rank
  FROM app.tickets, websearch_to_tsquery('english', 'export csv report') AS q
 WHERE account_id = 1
   AND search_vector @@ q
 ORDER BY rank DESC
 LIMIT 20;

-- name: ticket_search_subject_like
-- Legacy "quick find" in the mobile app: leading-wildcard ILIKE, cannot use a B-tree index.
SELECT id, subject, ticket_status
  FROM app.tickets
 WHERE account_id = 1
   AND subject ILIKE '%invoice%'
 ORDER BY created_at DESC;

-- name: ticket_detail_with_comments
-- Ticket page: the ticket, its comments with authors, oldest first.
SELECT c.id, c.body, c.is_internal, c.created_at, u.full_name AS author
  FROM app.ticket_comments AS c
  JOIN app.users AS u ON u.id = c.author_user_id
 WHERE c.account_id = 1
   AND c.ticket_id = 1
 ORDER BY c.created_at;

-- name: user_by_id
-- N+1: the ticket list template loads each requester separately (one query per row).
SELECT id, full_name, email FROM app.users WHERE id = 1;

-- name: user_by_id
SELECT id, full_name, email FROM app.users WHERE id = 2;

-- name: user_by_id
SELECT id, full_name, email FROM app.users WHERE id = 7;

-- name: user_search_by_name
-- Member picker: "contains" search over all users, leading wildcard.
SELECT id, full_name, email
  FROM app.users
 WHERE full_name ILIKE '%smith%' OR email ILIKE '%smith%'
 ORDER BY full_name
 LIMIT 10;

-- name: account_members_with_roles
-- Settings > Members.
SELECT u.id, u.full_name, u.email, r.name AS role, m.created_at AS member_since
  FROM app.memberships AS m
  JOIN app.users AS u ON u.id = m.user_id
  JOIN app.roles AS r ON r.id = m.role_id
 WHERE m.account_id = 1
 ORDER BY u.full_name;

-- name: permission_check
-- Authorisation check run on every request: does the user hold the permission here?
SELECT EXISTS (
  SELECT 1
    FROM app.memberships AS m
    JOIN app.role_permissions AS rp ON rp.role_id = m.role_id
    JOIN app.permissions AS p ON p.id = rp.permission_id
   WHERE m.account_id = 1
     AND m.user_id = 2
     AND p.permission_key = 'tickets.assign') AS allowed;

-- name: session_lookup
-- Every browser request: resolve the session cookie.
SELECT s.id, s.user_id, s.expires_at
  FROM app.sessions AS s
 WHERE s.token_hash = sha256('session-bob-1'::bytea)
   AND s.revoked_at IS NULL
   AND s.expires_at > now();

-- name: api_key_lookup
-- Every API request: the key carries the account id; look the hash up within the account.
SELECT id, scopes
  FROM app.api_keys
 WHERE account_id = 1
   AND key_hash = sha256('dbw_1_k7x2m9qa-secret'::bytea)
   AND revoked_at IS NULL
   AND (expires_at IS NULL OR expires_at > now());

-- name: feature_flag_resolution
-- Feature check: the account's override wins over the global default.
SELECT DISTINCT ON (flag_key) flag_key, is_enabled, rollout_percent
  FROM app.feature_flags
 WHERE flag_key IN ('new_inbox', 'ai_summaries')
   AND (account_id = 1 OR account_id IS NULL)
 ORDER BY flag_key, account_id NULLS LAST;

-- name: invoices_for_account
-- Billing > Invoices, page 3 (OFFSET paging).
SELECT id, invoice_number, invoice_status, currency, total_cents, amount_paid_cents, due_at, created_at
  FROM billing.invoices
 WHERE account_id = 1
 ORDER BY created_at DESC
 LIMIT 20 OFFSET 40;

-- name: invoice_by_number
-- Support tool: find an invoice from the number a customer quotes (no account known).
SELECT account_id, id, invoice_status, total_cents
  FROM billing.invoices
 WHERE invoice_number = 100003;

-- name: invoice_with_line_items
-- Invoice PDF rendering.
SELECT i.invoice_number, i.currency, i.period_start, i.period_end, i.subtotal_cents,
       i.discount_cents, i.tax_cents, i.total_cents,
       li.description, li.quantity, li.unit_amount_cents, li.amount_cents
  FROM billing.invoices AS i
  JOIN billing.invoice_line_items AS li ON li.account_id = i.account_id AND li.invoice_id = i.id
 WHERE i.account_id = 1
   AND i.id = 3
 ORDER BY li.id;

-- name: overdue_invoices_all_accounts
-- Nightly dunning job: every overdue open invoice (runs with BYPASSRLS).
SELECT account_id, invoice_id, invoice_number, currency, amount_due_cents, due_at
  FROM billing.open_invoices
 WHERE is_overdue
 ORDER BY due_at;

-- name: revenue_by_month_for_account
-- Billing > Payments chart: money received per month.
SELECT date_trunc('month', paid_at) AS month, currency, sum(amount_cents) AS received_cents
  FROM billing.payments
 WHERE account_id = 1
   AND payment_status = 'succeeded'
   AND paid_at >= now() - interval '12 months'
 GROUP BY 1, 2
 ORDER BY 1;

-- name: subscription_plan_history
-- Billing > Plan history.
SELECT sc.effective_at, sc.change_kind, fp.plan_key AS from_plan, tp.plan_key AS to_plan,
       sc.from_quantity, sc.to_quantity, u.full_name AS changed_by
  FROM billing.subscription_changes AS sc
  LEFT JOIN billing.plan_prices AS fpp ON fpp.id = sc.from_plan_price_id
  LEFT JOIN billing.plans AS fp ON fp.id = fpp.plan_id
  JOIN billing.plan_prices AS tpp ON tpp.id = sc.to_plan_price_id
  JOIN billing.plans AS tp ON tp.id = tpp.plan_id
  LEFT JOIN app.users AS u ON u.id = sc.changed_by_user_id
 WHERE sc.account_id = 1
   AND sc.subscription_id = 1
 ORDER BY sc.effective_at;

-- name: usage_current_period
-- Usage meter: units used so far in the current billing period, per product.
SELECT pr.name, pr.unit_label, sum(ur.quantity) AS used
  FROM billing.usage_records AS ur
  JOIN billing.subscriptions AS s ON s.account_id = ur.account_id AND s.id = ur.subscription_id
  JOIN billing.products AS pr ON pr.id = ur.product_id
 WHERE ur.account_id = 1
   AND ur.subscription_id = 1
   AND ur.recorded_at >= s.current_period_start
   AND ur.recorded_at < s.current_period_end
 GROUP BY pr.name, pr.unit_label;

-- name: product_price_at
-- Invoicing job: the add-on price in force at the end of the period.
SELECT id, unit_amount_cents
  FROM billing.product_prices
 WHERE product_id = 1
   AND currency = 'USD'
   AND valid_during @> timestamptz '2026-11-01 00:00:00+00';

-- name: events_recent_for_account
-- Activity feed: latest events of the account.
SELECT id, occurred_at, event_type, payload
  FROM app.events
 WHERE account_id = 1
 ORDER BY occurred_at DESC
 LIMIT 50;

-- name: events_by_payload_containment
-- Integration debugging: events about one invoice (JSONB containment, uses the GIN index).
SELECT id, occurred_at, event_type
  FROM app.events
 WHERE account_id = 1
   AND payload @> '{"invoice_id": 3}'
 ORDER BY occurred_at;

-- name: events_by_payload_key
-- Same question asked the other way: ->> equality, which jsonb_path_ops GIN cannot serve.
SELECT id, occurred_at, event_type
  FROM app.events
 WHERE account_id = 1
   AND payload ->> 'ticket_id' = '1';

-- name: events_daily_counts_last_30_days
-- calls: 20
-- Analytics chart on every dashboard load: events per type per day over the last 30 days
-- (prunes to 1-2 partitions). It recurs (20 calls for each run of the other statements) over a
-- table the workload never writes: the materialized-view case.
SELECT date_trunc('day', occurred_at) AS day, event_type, count(*) AS events
  FROM app.events
 WHERE account_id = 1
   AND occurred_at >= timestamptz '2026-11-24 00:00:00+00' - interval '30 days'
 GROUP BY 1, 2
 ORDER BY 1, 2;

-- name: webhook_retry_queue
-- Webhook worker: failed deliveries due for a retry (served by the partial index).
SELECT d.id, d.webhook_id, w.url, d.event_id, d.attempt
  FROM app.webhook_deliveries AS d
  JOIN app.webhooks AS w ON w.id = d.webhook_id
 WHERE d.delivery_status = 'failed'
   AND d.next_attempt_at <= now()
   AND w.is_enabled
 ORDER BY d.next_attempt_at
 LIMIT 100;

-- name: webhook_delivery_history
-- Settings > Webhooks > Recent deliveries: no full index on webhook_id, so this scans.
SELECT id, event_type, delivery_status, response_status, attempted_at
  FROM app.webhook_deliveries
 WHERE webhook_id = 1
 ORDER BY attempted_at DESC
 LIMIT 25;

-- name: partner_payouts_by_month
-- Reseller portal: payouts per month (legacy table, timestamp without time zone).
SELECT date_trunc('month', processed_at) AS month, sum(amount) AS paid_out
  FROM billing.partner_payouts
 WHERE account_id = 3
 GROUP BY 1
 ORDER BY 1;
