-- Seed data for the "Helpline" example (examples/saas/schema.sql), as of late November 2026.
-- Small and realistic: 4 accounts, 7 users, subscriptions with history, invoices, payments,
-- usage, tickets, webhooks and events spread over the monthly partitions (one lands in the
-- default partition). Every constraint holds.
--
-- Load into a fresh database right after the schema, as a superuser or a role with BYPASSRLS
-- (every tenant table has FORCE ROW LEVEL SECURITY):
--   psql -v ON_ERROR_STOP=1 -f examples/saas/seed.sql
--
-- Ids are given explicitly (OVERRIDING SYSTEM VALUE) so that rows can refer to each other;
-- the identity sequences are moved past them at the end.

BEGIN;

-- ---------------------------------------------------------------------------------------
-- Tenants, users, access control
-- ---------------------------------------------------------------------------------------

INSERT INTO app.accounts (id, slug, name, billing_email, country_code, parent_account_id, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 'acme',               'Acme Robotics Inc.',     'ap@acme.example',           'US', NULL, '2026-05-01 09:12:00+00'),
  (2, 'globex',             'Globex GmbH',            'buchhaltung@globex.example', 'DE', NULL, '2026-08-10 07:30:00+00'),
  (3, 'northwind-partners', 'Northwind Partners Ltd', 'finance@northwind.example',  'GB', NULL, '2026-03-01 11:00:00+00'),
  (4, 'initech',            'Initech LLC',            'billing@initech.example',    'US', 3,    '2026-06-05 16:45:00+00');

INSERT INTO app.account_settings (account_id, timezone, locale, sso_required, data_retention_days) VALUES
  (1, 'America/New_York', 'en-US', false, 365),
  (2, 'Europe/Berlin',    'de-DE', true,  730),
  (3, 'Europe/London',    'en-GB', false, 365),
  (4, 'America/Chicago',  'en-US', false, 90);

INSERT INTO app.users (id, email, full_name, password_hash, email_verified_at, last_login_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 'alice@acme.example',       'Alice Moreau',    '$argon2id$v=19$m=65536,t=3,p=4$YWxpY2U$6Yb0kZ1mQ0bq', '2026-05-01 09:15:00+00', '2026-11-23 14:02:00+00', '2026-05-01 09:12:00+00'),
  (2, 'bob.smith@acme.example',   'Bob Smith',       '$argon2id$v=19$m=65536,t=3,p=4$Ym9iYm9i$hH2q0TQ2',   '2026-05-02 10:00:00+00', '2026-11-24 08:40:00+00', '2026-05-02 09:58:00+00'),
  (3, 'carla@globex.example',     'Carla Schmidt',   NULL,                                                 '2026-08-10 07:31:00+00', '2026-11-20 12:10:00+00', '2026-08-10 07:30:00+00'),
  (4, 'dmitri@globex.example',    'Dmitri Ivanov',   NULL,                                                 '2026-08-11 08:00:00+00', '2026-11-18 17:25:00+00', '2026-08-11 07:59:00+00'),
  (5, 'erin@northwind.example',   'Erin Walsh',      '$argon2id$v=19$m=65536,t=3,p=4$ZXJpbg$Xk1wq9Vn3rP0',  '2026-03-01 11:05:00+00', '2026-11-21 09:00:00+00', '2026-03-01 11:00:00+00'),
  (6, 'frank@initech.example',    'Frank Lumbergh',  '$argon2id$v=19$m=65536,t=3,p=4$ZnJhbms$M0nd4yYe4h',   '2026-06-05 16:50:00+00', '2026-11-22 15:30:00+00', '2026-06-05 16:45:00+00'),
  (7, 'sam@helpline.example',     'Sam Okafor',      '$argon2id$v=19$m=65536,t=3,p=4$c2Ft$Wq2kPzR8sLx1',    '2026-01-10 08:00:00+00', '2026-11-24 07:55:00+00', '2026-01-10 08:00:00+00');

INSERT INTO app.roles (id, role_key, name, description) OVERRIDING SYSTEM VALUE VALUES
  (1, 'owner',   'Owner',   'Everything, including closing the account and transferring ownership.'),
  (2, 'admin',   'Admin',   'Manages members, API keys, webhooks and all tickets.'),
  (3, 'agent',   'Agent',   'Works on tickets.'),
  (4, 'billing', 'Billing', 'Sees and pays invoices, changes the plan.'),
  (5, 'viewer',  'Viewer',  'Read-only access to tickets.');

INSERT INTO app.permissions (id, permission_key, description) OVERRIDING SYSTEM VALUE VALUES
  (1, 'tickets.read',    'See tickets and comments.'),
  (2, 'tickets.write',   'Create tickets and comment.'),
  (3, 'tickets.assign',  'Assign and reassign tickets.'),
  (4, 'billing.read',    'See subscriptions, invoices and payments.'),
  (5, 'billing.manage',  'Change the plan, seats and payment method.'),
  (6, 'members.manage',  'Invite and remove members, change roles.'),
  (7, 'api_keys.manage', 'Create and revoke API keys.'),
  (8, 'webhooks.manage', 'Register and edit webhooks.');

INSERT INTO app.role_permissions (role_id, permission_id) VALUES
  (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
  (2, 1), (2, 2), (2, 3), (2, 6), (2, 7), (2, 8),
  (3, 1), (3, 2), (3, 3),
  (4, 1), (4, 4), (4, 5),
  (5, 1);

INSERT INTO app.memberships (account_id, user_id, role_id, created_at) VALUES
  (1, 1, 1, '2026-05-01 09:12:00+00'),
  (1, 2, 3, '2026-05-02 09:58:00+00'),
  (1, 4, 5, '2026-09-14 10:00:00+00'),
  (2, 3, 1, '2026-08-10 07:30:00+00'),
  (2, 4, 4, '2026-08-11 07:59:00+00'),
  (3, 5, 1, '2026-03-01 11:00:00+00'),
  (4, 5, 2, '2026-06-05 16:46:00+00'),
  (4, 6, 1, '2026-06-05 16:45:00+00');

INSERT INTO app.sessions (user_id, token_hash, ip_address, user_agent, created_at, last_seen_at, expires_at, revoked_at) VALUES
  (1, sha256('session-alice-1'::bytea), '203.0.113.10', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Firefox/132.0', '2026-11-23 14:02:00+00', '2026-11-24 09:10:00+00', '2026-12-23 14:02:00+00', NULL),
  (2, sha256('session-bob-1'::bytea),   '203.0.113.11', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',               '2026-11-24 08:40:00+00', '2026-11-24 10:01:00+00', '2026-12-24 08:40:00+00', NULL),
  (2, sha256('session-bob-0'::bytea),   '198.51.100.7', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1',      '2026-10-30 19:00:00+00', '2026-11-02 07:12:00+00', '2026-11-29 19:00:00+00', '2026-11-02 07:13:00+00'),
  (3, sha256('session-carla-1'::bytea), '192.0.2.44',   'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/131.0',       '2026-11-20 12:10:00+00', '2026-11-20 16:45:00+00', '2026-12-20 12:10:00+00', NULL),
  (5, sha256('session-erin-1'::bytea),  '192.0.2.90',   'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) Safari/605.1',  '2026-11-21 09:00:00+00', '2026-11-21 11:30:00+00', '2026-12-21 09:00:00+00', NULL);

INSERT INTO app.feature_flags (flag_key, account_id, is_enabled, rollout_percent, description) VALUES
  ('new_inbox',    NULL, false, 100, 'Redesigned ticket inbox; remove after GA in Q1 2027.'),
  ('new_inbox',    1,    true,  100, 'Acme is a design partner for the new inbox.'),
  ('ai_summaries', NULL, true,  25,  'LLM summaries of long ticket threads, gradual rollout.'),
  ('ai_summaries', 2,    false, 0,   'Globex opted out (data processing agreement).');

-- API keys are audited by app.write_audit_log(); record who created them.
SET LOCAL app.user_id = '1';
INSERT INTO app.api_keys (account_id, id, name, key_prefix, key_hash, scopes, created_by_user_id, last_used_at, expires_at, revoked_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'CI deploys',      'dbw_k7x2m9qa', sha256('dbw_1_k7x2m9qa-secret'::bytea), '{tickets.read,tickets.write}', 1, '2026-11-24 06:00:00+00', NULL,                     NULL,                     '2026-06-01 12:00:00+00'),
  (1, 2, 'Old Zapier key',  'dbw_p0c1r2e9', sha256('dbw_1_p0c1r2e9-secret'::bytea), '{}',                           1, '2026-07-15 10:00:00+00', NULL,                     '2026-07-20 09:00:00+00', '2026-05-10 12:00:00+00');
SET LOCAL app.user_id = '3';
INSERT INTO app.api_keys (account_id, id, name, key_prefix, key_hash, scopes, created_by_user_id, last_used_at, expires_at, revoked_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (2, 3, 'ERP sync',        'dbw_z5t8w1bn', sha256('dbw_2_z5t8w1bn-secret'::bytea), '{billing.read}',               3, '2026-11-24 02:00:00+00', '2027-08-10 00:00:00+00', NULL,                     '2026-08-12 08:00:00+00');
RESET app.user_id;

-- ---------------------------------------------------------------------------------------
-- Integrations and webhooks
-- ---------------------------------------------------------------------------------------

INSERT INTO app.integrations (account_id, id, provider, display_name, config, installed_by_user_id, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'slack',  'acme-robotics.slack.com', '{"channel_id": "C05TICKETS", "notify_on": ["ticket.created", "ticket.assigned"]}', 1, '2026-05-03 10:00:00+00'),
  (1, 2, 'github', 'acme-robotics',           '{"repository": "acme-robotics/firmware", "label": "from-helpline"}',             2, '2026-06-20 15:00:00+00'),
  (2, 3, 'jira',   'globex.atlassian.net',    '{"project_key": "SUP", "issue_type": "Bug"}',                                     3, '2026-08-15 09:00:00+00');

INSERT INTO app.webhooks (account_id, id, url, description, event_types, secret_hash, is_enabled, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'https://hooks.acme.example/helpline', 'Feeds the on-call dashboard', '{ticket.created,ticket.solved,invoice.paid}', sha256('whsec-acme'::bytea),   true,  '2026-06-02 08:00:00+00'),
  (2, 2, 'https://erp.globex.example/api/in',   NULL,                          '{invoice.paid,invoice.finalized}',            sha256('whsec-globex'::bytea), true,  '2026-08-20 13:00:00+00'),
  (4, 3, 'https://old.initech.example/hook',    'Decommissioned server',       '{ticket.created}',                            sha256('whsec-initech'::bytea), false, '2026-06-10 09:00:00+00');

-- ---------------------------------------------------------------------------------------
-- Events (monthly partitions; the June row predates the first partition and lands in
-- events_default - the backfill that nobody cleaned up)
-- ---------------------------------------------------------------------------------------

INSERT INTO app.events (account_id, id, occurred_at, event_type, actor_user_id, payload)
OVERRIDING SYSTEM VALUE VALUES
  (4, 1,  '2026-06-05 16:45:00+00', 'account.created',       6,    '{"plan": "starter", "source": "reseller", "partner": "northwind-partners"}'),
  (1, 2,  '2026-08-01 00:00:05+00', 'subscription.upgraded', 1,    '{"from_plan": "starter", "plan": "pro", "seats": 5}'),
  (2, 3,  '2026-08-10 07:31:00+00', 'account.created',       3,    '{"plan": "pro", "source": "self_serve", "coupon": "LAUNCH20"}'),
  (1, 4,  '2026-08-21 13:05:00+00', 'user.logged_in',        2,    '{"method": "password", "ip": "203.0.113.11"}'),
  (1, 5,  '2026-09-02 03:00:10+00', 'invoice.paid',          NULL, '{"invoice_id": 1, "invoice_number": 100001, "amount_cents": 26900, "currency": "USD"}'),
  (2, 6,  '2026-09-18 08:15:00+00', 'ticket.created',        3,    '{"ticket_id": 3, "priority": "high", "channel": "email"}'),
  (2, 7,  '2026-09-19 11:00:00+00', 'ticket.solved',         7,    '{"ticket_id": 3, "resolution_minutes": 1605}'),
  (1, 8,  '2026-10-02 03:00:12+00', 'invoice.paid',          NULL, '{"invoice_id": 2, "invoice_number": 100002, "amount_cents": 24900, "currency": "USD"}'),
  (2, 9,  '2026-10-11 03:01:00+00', 'invoice.paid',          NULL, '{"invoice_id": 4, "invoice_number": 100004, "amount_cents": 12852, "currency": "EUR"}'),
  (4, 10, '2026-10-20 09:30:00+00', 'user.logged_in',        6,    '{"method": "password", "ip": "192.0.2.61"}'),
  (1, 11, '2026-11-01 03:00:00+00', 'invoice.finalized',     NULL, '{"invoice_id": 3, "invoice_number": 100003, "amount_cents": 24500, "currency": "USD"}'),
  (4, 12, '2026-11-12 03:00:00+00', 'invoice.payment_failed', NULL, '{"invoice_id": 7, "invoice_number": 100007, "reason": "card_declined"}'),
  (1, 13, '2026-11-20 10:14:00+00', 'ticket.created',        2,    '{"ticket_id": 1, "priority": "high", "channel": "web"}'),
  (1, 14, '2026-11-21 08:02:00+00', 'ticket.created',        1,    '{"ticket_id": 2, "priority": "normal", "channel": "web"}'),
  (4, 15, '2026-11-23 17:40:00+00', 'ticket.created',        6,    '{"ticket_id": 4, "priority": "urgent", "channel": "web"}'),
  (1, 16, '2026-11-24 08:40:00+00', 'user.logged_in',        2,    '{"method": "password", "ip": "203.0.113.11"}');

INSERT INTO app.webhook_deliveries (webhook_id, event_id, event_type, request_body, response_status, response_body, attempt, delivery_status, attempted_at, next_attempt_at) VALUES
  (1, 5,  'invoice.paid',   '{"id": 5, "type": "invoice.paid", "data": {"invoice_number": 100001}}', 200,  'ok',                    1, 'succeeded', '2026-09-02 03:00:12+00', NULL),
  (1, 8,  'invoice.paid',   '{"id": 8, "type": "invoice.paid", "data": {"invoice_number": 100002}}', 200,  'ok',                    1, 'succeeded', '2026-10-02 03:00:14+00', NULL),
  (2, 9,  'invoice.paid',   '{"id": 9, "type": "invoice.paid", "data": {"invoice_number": 100004}}', 503,  'Service Unavailable',   1, 'failed',    '2026-10-11 03:01:02+00', '2026-10-11 03:06:02+00'),
  (2, 9,  'invoice.paid',   '{"id": 9, "type": "invoice.paid", "data": {"invoice_number": 100004}}', 204,  NULL,                    2, 'succeeded', '2026-10-11 03:06:03+00', NULL),
  (1, 13, 'ticket.created', '{"id": 13, "type": "ticket.created", "data": {"ticket_id": 1}}',         NULL, NULL,                    1, 'failed',    '2026-11-20 10:14:02+00', '2026-11-24 11:00:00+00');

-- ---------------------------------------------------------------------------------------
-- Notifications, files, help desk
-- ---------------------------------------------------------------------------------------

INSERT INTO app.files (account_id, id, uploaded_by_user_id, storage_key, file_name, content_type, byte_size, sha256, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 2, 'accounts/1/files/7d0c6a52-3f1e-4d55-9a1b-0c2f0e9b8a11', 'export-error.png',    'image/png',       184233, sha256('export-error.png'::bytea),    '2026-11-20 10:13:00+00'),
  (1, 2, 2, 'accounts/1/files/0b9e1c44-8e27-4b5f-8f3c-61a2d7c4e0f2', 'report-job.log',      'text/plain',      52811,  sha256('report-job.log'::bytea),      '2026-11-20 10:13:30+00'),
  (2, 3, 3, 'accounts/2/files/e3a0f6d1-2c4b-47a9-b8e1-9f5d3c7a2b60', 'webhook-headers.txt', 'text/plain',      2048,   sha256('webhook-headers.txt'::bytea), '2026-09-18 08:14:00+00');

INSERT INTO app.tags (account_id, id, name, color) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'bug',          '#d73a4a'),
  (1, 2, 'billing',      '#0e8a16'),
  (1, 3, 'vip-customer', '#fbca04'),
  (2, 4, 'integration',  '#1d76db');

INSERT INTO app.tickets (account_id, id, requester_user_id, assignee_user_id, subject, body, ticket_status, priority, created_at, updated_at, solved_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 2, 7,    'Export to CSV fails for large reports',
   'Exporting the monthly SLA report (about 40,000 rows) stops at 95% and the download never starts. Screenshot and job log attached.',
   'open', 'high', '2026-11-20 10:14:00+00', '2026-11-22 09:00:00+00', NULL),
  (1, 2, 1, NULL, 'Question about invoice 100003',
   'Our November invoice still shows 5 seats, but we removed a member on November 3rd. Can you prorate?',
   'pending', 'normal', '2026-11-21 08:02:00+00', '2026-11-21 15:20:00+00', NULL),
  (2, 3, 3, 7,    'Webhook signature mismatch',
   'Our ERP rejects your invoice.paid webhooks: the HMAC signature does not verify. Headers attached.',
   'solved', 'high', '2026-09-18 08:15:00+00', '2026-09-19 11:00:00+00', '2026-09-19 11:00:00+00'),
  (4, 4, 6, NULL, 'Cannot add more seats',
   'The seats page says our card was declined, but the card works everywhere else. We need two more agents today.',
   'open', 'urgent', '2026-11-23 17:40:00+00', '2026-11-23 17:40:00+00', NULL);

INSERT INTO app.ticket_comments (account_id, id, ticket_id, author_user_id, body, is_internal, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 7, 'Thanks Bob, I can reproduce it with a 40k-row export. Looking into the worker timeout.',            false, '2026-11-20 11:02:00+00'),
  (1, 2, 1, 7, 'Export worker hits statement_timeout on the SLA query; needs an index on tickets(account_id, created_at).', true,  '2026-11-21 09:30:00+00'),
  (1, 3, 2, 7, 'Seat changes apply from the next period; I have asked billing about a credit note for November.',   false, '2026-11-21 15:20:00+00'),
  (2, 4, 3, 7, 'The signature covers the raw body; your ERP re-serialises the JSON before verifying. Fixed on your side?', false, '2026-09-18 14:00:00+00'),
  (2, 5, 3, 3, 'Yes, verifying the raw body works. Thank you!',                                                      false, '2026-09-19 10:55:00+00'),
  (4, 6, 4, 6, 'Still failing this morning.',                                                                         false, '2026-11-24 08:05:00+00');

INSERT INTO app.ticket_tags (account_id, ticket_id, tag_id) VALUES
  (1, 1, 1), (1, 1, 3), (1, 2, 2), (2, 3, 4);

INSERT INTO app.ticket_attachments (account_id, ticket_id, file_id) VALUES
  (1, 1, 1), (1, 1, 2), (2, 3, 3);

INSERT INTO app.notifications (account_id, id, user_id, kind, title, body, link_url, read_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'invoice.finalized', 'Invoice 100003 is ready',          'Your November invoice for **$245.00** is due on November 15.', '/billing/invoices/3', '2026-11-01 13:00:00+00', '2026-11-01 03:00:05+00'),
  (1, 2, 2, 'ticket.replied',    'Sam replied to your ticket',       'Export to CSV fails for large reports', '/tickets/1', NULL, '2026-11-20 11:02:05+00'),
  (1, 3, 1, 'invoice.overdue',   'Invoice 100003 is overdue',        'Payment of **$245.00** was due on November 15.', '/billing/invoices/3', NULL, '2026-11-16 03:00:00+00'),
  (2, 4, 4, 'invoice.paid',      'Payment received for 100004',      'Thank you, we received **128,52 €**.', '/billing/invoices/4', '2026-10-12 07:00:00+00', '2026-10-11 03:01:05+00'),
  (4, 5, 6, 'invoice.payment_failed', 'Payment failed for 100007',   'Your card was declined. Update your payment method to keep your seats.', '/billing/payment-method', NULL, '2026-11-12 03:00:05+00');

-- ---------------------------------------------------------------------------------------
-- Billing catalogue
-- ---------------------------------------------------------------------------------------

INSERT INTO billing.plans (id, plan_key, name, description, seat_limit, is_public, created_at, retired_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 'free',       'Free',       'One agent, community support.',                         1,    true,  '2026-01-01 00:00:00+00', NULL),
  (2, 'starter',    'Starter',    'Up to 5 agents, e-mail support, 1 integration.',        5,    true,  '2026-01-01 00:00:00+00', NULL),
  (3, 'pro',        'Pro',        'Up to 50 agents, all integrations, webhooks, API.',     50,   true,  '2026-01-01 00:00:00+00', NULL),
  (4, 'enterprise', 'Enterprise', 'Unlimited agents, SSO, audit log export, 99.9% SLA.',   NULL, false, '2026-01-01 00:00:00+00', NULL);

INSERT INTO billing.plan_prices (id, plan_id, currency, billing_interval, unit_amount_cents, is_active, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'USD', 'month', 0,      true,  '2026-01-01 00:00:00+00'),
  (2, 2, 'USD', 'month', 1500,   false, '2026-01-01 00:00:00+00'),
  (3, 2, 'USD', 'month', 1900,   true,  '2026-07-01 00:00:00+00'),
  (4, 3, 'USD', 'month', 4900,   true,  '2026-01-01 00:00:00+00'),
  (5, 3, 'USD', 'year',  49000,  true,  '2026-01-01 00:00:00+00'),
  (6, 3, 'EUR', 'month', 4500,   true,  '2026-01-01 00:00:00+00'),
  (7, 4, 'USD', 'year',  120000, true,  '2026-01-01 00:00:00+00');

INSERT INTO billing.products (id, product_key, name, description, unit_label, is_metered, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 'extra_storage', 'Extra storage',  'Attachment storage beyond the plan quota.', 'GB',                false, '2025-01-01 00:00:00+00'),
  (2, 'api_calls',     'API call pack',  'API requests beyond the plan quota.',       '1,000 API calls',   true,  '2025-01-01 00:00:00+00'),
  (3, 'sms_credits',   'SMS credits',    'SMS notifications to end customers.',       'SMS',               true,  '2026-01-01 00:00:00+00');

INSERT INTO billing.product_prices (id, product_id, currency, unit_amount_cents, valid_during, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'USD', 50, '[2025-01-01 00:00:00+00,2026-07-01 00:00:00+00)', '2024-12-15 00:00:00+00'),
  (2, 1, 'USD', 40, '[2026-07-01 00:00:00+00,)',                        '2026-06-01 00:00:00+00'),
  (3, 2, 'USD', 20, '[2025-01-01 00:00:00+00,)',                        '2024-12-15 00:00:00+00'),
  (4, 2, 'EUR', 18, '[2025-01-01 00:00:00+00,)',                        '2024-12-15 00:00:00+00'),
  (5, 3, 'USD', 7,  '[2026-01-01 00:00:00+00,)',                        '2025-12-01 00:00:00+00');

INSERT INTO billing.coupons (id, code, percent_off, amount_off, currency, duration_months, max_redemptions, valid_from, valid_until, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 'LAUNCH20',  20.00, NULL,  NULL,  3, 500,  '2026-08-01 00:00:00+00', '2026-10-01 00:00:00+00', '2026-07-25 00:00:00+00'),
  (2, 'WELCOME10', NULL,  10.00, 'USD', 1, NULL, '2026-01-01 00:00:00+00', NULL,                     '2025-12-20 00:00:00+00');

-- ---------------------------------------------------------------------------------------
-- Subscriptions and plan history (subscriptions are audited by app.write_audit_log())
-- ---------------------------------------------------------------------------------------

INSERT INTO billing.subscriptions (account_id, id, plan_price_id, subscription_status, quantity, trial_ends_at, current_period_start, current_period_end, cancel_at_period_end, canceled_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 4, 'active',   5,  '2026-05-15 09:12:00+00', '2026-11-01 00:00:00+00', '2026-12-01 00:00:00+00', false, NULL,                     '2026-05-01 09:12:00+00'),
  (2, 2, 6, 'active',   3,  NULL,                     '2026-11-10 00:00:00+00', '2026-12-10 00:00:00+00', false, NULL,                     '2026-08-10 07:30:00+00'),
  (3, 3, 7, 'active',   10, NULL,                     '2026-03-01 00:00:00+00', '2027-03-01 00:00:00+00', false, NULL,                     '2026-03-01 11:00:00+00'),
  (4, 5, 2, 'canceled', 2,  NULL,                     '2026-06-05 00:00:00+00', '2026-07-05 00:00:00+00', true,  '2026-07-05 00:00:00+00', '2026-06-05 16:45:00+00'),
  (4, 4, 3, 'active',   2,  NULL,                     '2026-11-05 00:00:00+00', '2026-12-05 00:00:00+00', false, NULL,                     '2026-09-05 10:00:00+00');

-- The November payment of Initech failed: the gateway moved the subscription to past_due.
UPDATE billing.subscriptions SET subscription_status = 'past_due'
 WHERE account_id = 4 AND id = 4;

INSERT INTO billing.subscription_changes (account_id, id, subscription_id, change_kind, from_plan_price_id, to_plan_price_id, from_quantity, to_quantity, changed_by_user_id, effective_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'created',    NULL, 3, NULL, 3,  1,    '2026-05-01 09:12:00+00', '2026-05-01 09:12:00+00'),
  (1, 2, 1, 'upgraded',   3,    4, 3,    5,  1,    '2026-08-01 00:00:00+00', '2026-07-28 16:20:00+00'),
  (2, 3, 2, 'created',    NULL, 6, NULL, 3,  3,    '2026-08-10 07:30:00+00', '2026-08-10 07:30:00+00'),
  (3, 4, 3, 'created',    NULL, 7, NULL, 10, 5,    '2026-03-01 11:00:00+00', '2026-03-01 11:00:00+00'),
  (4, 5, 5, 'created',    NULL, 2, NULL, 2,  6,    '2026-06-05 16:45:00+00', '2026-06-05 16:45:00+00'),
  (4, 6, 5, 'canceled',   2,    2, 2,    2,  6,    '2026-07-05 00:00:00+00', '2026-06-20 11:00:00+00'),
  (4, 7, 4, 'created',    NULL, 3, NULL, 2,  6,    '2026-09-05 10:00:00+00', '2026-09-05 10:00:00+00');

INSERT INTO billing.coupon_redemptions (account_id, id, coupon_id, subscription_id, redeemed_by_user_id, redeemed_at)
OVERRIDING SYSTEM VALUE VALUES
  (2, 1, 1, 2, 3, '2026-08-10 07:30:00+00');

-- ---------------------------------------------------------------------------------------
-- Invoices, line items, payments (invoice numbers come from billing.invoice_number_seq:
-- 100001..100007 in insertion order)
-- ---------------------------------------------------------------------------------------

INSERT INTO billing.invoices (account_id, id, subscription_id, invoice_status, currency, period_start, period_end, subtotal_cents, discount_cents, tax_cents, amount_paid_cents, due_at, finalized_at, paid_at, voided_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'paid', 'USD', '2026-09-01 00:00:00+00', '2026-10-01 00:00:00+00', 26900,   0,    0,    26900,   '2026-09-15 00:00:00+00', '2026-09-01 03:00:00+00', '2026-09-02 03:00:10+00', NULL, '2026-09-01 02:55:00+00'),
  (1, 2, 1, 'paid', 'USD', '2026-10-01 00:00:00+00', '2026-11-01 00:00:00+00', 24900,   0,    0,    24900,   '2026-10-15 00:00:00+00', '2026-10-01 03:00:00+00', '2026-10-02 03:00:12+00', NULL, '2026-10-01 02:55:00+00'),
  (1, 3, 1, 'open', 'USD', '2026-11-01 00:00:00+00', '2026-12-01 00:00:00+00', 24500,   0,    0,    0,       '2026-11-15 00:00:00+00', '2026-11-01 03:00:00+00', NULL,                     NULL, '2026-11-01 02:55:00+00'),
  (2, 4, 2, 'paid', 'EUR', '2026-10-10 00:00:00+00', '2026-11-10 00:00:00+00', 13500,   2700, 2052, 12852,   '2026-10-24 00:00:00+00', '2026-10-10 03:00:00+00', '2026-10-11 03:01:00+00', NULL, '2026-10-10 02:55:00+00'),
  (2, 5, 2, 'open', 'EUR', '2026-11-10 00:00:00+00', '2026-12-10 00:00:00+00', 13500,   0,    2565, 0,       '2026-11-24 00:00:00+00', '2026-11-10 03:00:00+00', NULL,                     NULL, '2026-11-10 02:55:00+00'),
  (3, 6, 3, 'paid', 'USD', '2026-03-01 00:00:00+00', '2027-03-01 00:00:00+00', 1200000, 0,    0,    1200000, '2026-03-31 00:00:00+00', '2026-03-01 11:05:00+00', '2026-03-10 14:00:00+00', NULL, '2026-03-01 11:04:00+00'),
  (4, 7, 4, 'open', 'USD', '2026-11-05 00:00:00+00', '2026-12-05 00:00:00+00', 3800,    0,    0,    0,       '2026-11-12 00:00:00+00', '2026-11-05 03:00:00+00', NULL,                     NULL, '2026-11-05 02:55:00+00');

INSERT INTO billing.invoice_line_items (account_id, id, invoice_id, line_kind, plan_price_id, product_price_id, description, quantity, unit_amount_cents, period_start, period_end)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'subscription', 4,    NULL, 'Pro (monthly) x 5 seats',                  5,   4900,   '2026-09-01 00:00:00+00', '2026-10-01 00:00:00+00'),
  (1, 2, 1, 'usage',        NULL, 3,    'API call packs, August (120 x 1,000 calls)', 120, 20,     '2026-08-01 00:00:00+00', '2026-09-01 00:00:00+00'),
  (1, 3, 2, 'subscription', 4,    NULL, 'Pro (monthly) x 5 seats',                  5,   4900,   '2026-10-01 00:00:00+00', '2026-11-01 00:00:00+00'),
  (1, 4, 2, 'addon',        NULL, 2,    'Extra storage 10 GB',                      10,  40,     '2026-10-01 00:00:00+00', '2026-11-01 00:00:00+00'),
  (1, 5, 3, 'subscription', 4,    NULL, 'Pro (monthly) x 5 seats',                  5,   4900,   '2026-11-01 00:00:00+00', '2026-12-01 00:00:00+00'),
  (2, 6, 4, 'subscription', 6,    NULL, 'Pro (monatlich) x 3 Plätze',               3,   4500,   '2026-10-10 00:00:00+00', '2026-11-10 00:00:00+00'),
  (2, 7, 5, 'subscription', 6,    NULL, 'Pro (monatlich) x 3 Plätze',               3,   4500,   '2026-11-10 00:00:00+00', '2026-12-10 00:00:00+00'),
  (3, 8, 6, 'subscription', 7,    NULL, 'Enterprise (yearly) x 10 seats',           10,  120000, '2026-03-01 00:00:00+00', '2027-03-01 00:00:00+00'),
  (4, 9, 7, 'subscription', 3,    NULL, 'Starter (monthly) x 2 seats',              2,   1900,   '2026-11-05 00:00:00+00', '2026-12-05 00:00:00+00');

INSERT INTO billing.payments (account_id, id, invoice_id, amount_cents, currency, payment_status, gateway, gateway_reference, failure_reason, paid_at, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 26900,   'USD', 'succeeded', 'stripe',        'ch_3QAcme0901',    NULL,            '2026-09-02 03:00:10+00', '2026-09-02 03:00:00+00'),
  (1, 2, 2, 24900,   'USD', 'succeeded', 'stripe',        'ch_3QAcme1001',    NULL,            '2026-10-02 03:00:12+00', '2026-10-02 03:00:00+00'),
  (2, 3, 4, 12852,   'EUR', 'succeeded', 'stripe',        'py_3QGlobex1010',  NULL,            '2026-10-11 03:01:00+00', '2026-10-10 03:05:00+00'),
  (3, 4, 6, 1200000, 'USD', 'succeeded', 'bank_transfer', 'NWP-2026-03-0042', NULL,            '2026-03-10 14:00:00+00', '2026-03-10 14:00:00+00'),
  (4, 5, 7, 3800,    'USD', 'failed',    'stripe',        'ch_3QInitech1105', 'card_declined', NULL,                     '2026-11-12 03:00:00+00'),
  (4, 6, 7, 3800,    'USD', 'pending',   'stripe',        'ch_3QInitech1124', NULL,            NULL,                     '2026-11-24 08:10:00+00');

INSERT INTO billing.usage_records (account_id, subscription_id, product_id, quantity, recorded_at, idempotency_key) VALUES
  (1, 1, 2, 14, '2026-11-20 09:00:00+00', 'acme-api-2026112009'),
  (1, 1, 2, 22, '2026-11-20 10:00:00+00', 'acme-api-2026112010'),
  (1, 1, 2, 19, '2026-11-20 11:00:00+00', 'acme-api-2026112011'),
  (1, 1, 3, 40, '2026-11-20 11:00:00+00', 'acme-sms-2026112011'),
  (1, 1, 2, 9,  '2026-11-21 09:00:00+00', 'acme-api-2026112109'),
  (2, 2, 2, 31, '2026-11-20 10:00:00+00', 'globex-api-2026112010'),
  (2, 2, 2, 27, '2026-11-21 10:00:00+00', 'globex-api-2026112110'),
  (4, 4, 2, 3,  '2026-11-22 15:00:00+00', 'initech-api-2026112215');

-- Legacy reseller payouts (the flawed table: money, timestamp without time zone, no key).
INSERT INTO billing.partner_payouts (account_id, partner_name, amount, processed_at, reference) VALUES
  (3, 'Northwind Partners Ltd', 1250.00, '2026-10-05 14:00:00', 'PO-2026-10-NWP'),
  (3, 'Northwind Partners Ltd', 380.00,  '2026-11-05 14:00:00', 'PO-2026-11-NWP');

-- ---------------------------------------------------------------------------------------
-- Identity sequences past the explicit ids; materialized view
-- ---------------------------------------------------------------------------------------

DO $$
DECLARE
  r     record;
  v_max bigint;
BEGIN
  FOR r IN
    SELECT n.nspname, c.relname, a.attname
      FROM pg_catalog.pg_attribute AS a
      JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid
      JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
     WHERE a.attidentity <> '' AND NOT a.attisdropped
       AND n.nspname IN ('app', 'billing')
       AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  LOOP
    EXECUTE format('SELECT max(%I) FROM %I.%I', r.attname, r.nspname, r.relname) INTO v_max;
    IF v_max IS NOT NULL THEN
      PERFORM pg_catalog.setval(pg_catalog.pg_get_serial_sequence(format('%I.%I', r.nspname, r.relname), r.attname), v_max);
    END IF;
  END LOOP;
END;
$$;

REFRESH MATERIALIZED VIEW billing.mrr_by_plan_month;

COMMIT;

ANALYZE;
