-- dbwright bundled example: "Helpline", a multi-tenant B2B SaaS (help desk + usage billing)
-- for PostgreSQL 15.
--
-- Tenants are rows of app.accounts; every tenant-owned table carries account_id (bigint,
-- NOT NULL), leads its primary key with it, references other tenant tables through
-- (account_id, <x>_id) composite foreign keys, and is protected by a row-level-security
-- policy on app.current_account_id(). Global tables (users, roles, the plan and product
-- catalogue) carry no account_id.
--
-- The schema is clean on purpose EXCEPT for the deliberate flaws listed in README.md; each
-- one is marked below with a "FLAW:" comment. Do not "fix" them: dbwright's tests expect them.
--
-- Loads in one transaction into a fresh database:
--   psql -v ON_ERROR_STOP=1 -f examples/saas/schema.sql

BEGIN;

-- ---------------------------------------------------------------------------------------
-- Schemas and extensions
-- ---------------------------------------------------------------------------------------

CREATE SCHEMA extensions;
COMMENT ON SCHEMA extensions IS 'Extension objects, kept out of public and out of the application schemas.';

-- btree_gist: scalar equality inside EXCLUDE USING gist (price history without overlaps).
CREATE EXTENSION btree_gist WITH SCHEMA extensions;
-- btree_gin: lets GIN indexes lead with the tenant column (account_id, payload / tsvector).
CREATE EXTENSION btree_gin WITH SCHEMA extensions;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'The product: tenants, users, access control, help desk, webhooks, events.';

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'Plans, subscriptions, invoices, payments and metered usage.';

-- ---------------------------------------------------------------------------------------
-- Types
-- ---------------------------------------------------------------------------------------

CREATE TYPE billing.billing_interval AS ENUM ('month', 'year');
COMMENT ON TYPE billing.billing_interval IS 'How often a recurring price is charged.';

CREATE TYPE billing.subscription_status AS ENUM
  ('incomplete', 'trialing', 'active', 'past_due', 'canceled', 'unpaid');
COMMENT ON TYPE billing.subscription_status IS 'Subscription life cycle (mirrors the payment gateway''s fixed set).';

CREATE TYPE billing.invoice_status AS ENUM ('draft', 'open', 'paid', 'void', 'uncollectible');
COMMENT ON TYPE billing.invoice_status IS 'Invoice life cycle: draft -> open -> paid | void | uncollectible.';

CREATE TYPE billing.payment_status AS ENUM ('pending', 'succeeded', 'failed', 'refunded');
COMMENT ON TYPE billing.payment_status IS 'Outcome of one payment attempt.';

CREATE TYPE app.ticket_status AS ENUM ('open', 'pending', 'solved', 'closed');
COMMENT ON TYPE app.ticket_status IS 'Support ticket life cycle.';

CREATE TYPE app.ticket_priority AS ENUM ('low', 'normal', 'high', 'urgent');
COMMENT ON TYPE app.ticket_priority IS 'Support ticket priority, ordered from least to most urgent.';

-- FLAW (design/enum-likely-to-grow): a list of third-party vendors. Every new integration
-- needs ALTER TYPE ... ADD VALUE (not usable inside the deploying transaction) and a label can
-- never be removed; a lookup table (app.integration_providers) would have been the right model.
CREATE TYPE app.integration_provider AS ENUM
  ('slack', 'microsoft_teams', 'discord', 'github', 'gitlab', 'jira', 'linear',
   'zendesk', 'intercom', 'hubspot', 'salesforce', 'pagerduty');
COMMENT ON TYPE app.integration_provider IS 'Third-party products an account can connect.';

-- ---------------------------------------------------------------------------------------
-- Functions shared by many tables
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION app.current_account_id() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT nullif(pg_catalog.current_setting('app.account_id', true), '')::bigint
$$;
COMMENT ON FUNCTION app.current_account_id() IS
  'Tenant of the current transaction (SET LOCAL app.account_id = ...); NULL when unset, which makes every RLS policy deny.';

CREATE FUNCTION app.set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := pg_catalog.now();
  RETURN NEW;
END;
$$;
COMMENT ON FUNCTION app.set_updated_at() IS 'BEFORE UPDATE trigger: stamps updated_at.';

-- ---------------------------------------------------------------------------------------
-- app: tenants, users and access control
-- ---------------------------------------------------------------------------------------

CREATE TABLE app.accounts (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug              text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  billing_email     text NOT NULL CHECK (billing_email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  country_code      text NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
  parent_account_id bigint REFERENCES app.accounts (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  CONSTRAINT accounts_slug_key UNIQUE (slug),
  CONSTRAINT accounts_not_own_parent CHECK (parent_account_id <> id)
);
CREATE INDEX accounts_parent_account_id_idx ON app.accounts (parent_account_id);
COMMENT ON TABLE app.accounts IS 'A tenant: a customer organisation. Every tenant-owned row carries its id as account_id.';
COMMENT ON COLUMN app.accounts.id IS 'Tenant id; the value of account_id everywhere else.';
COMMENT ON COLUMN app.accounts.slug IS 'URL name of the tenant (helpline.example/<slug>); lower case, unique.';
COMMENT ON COLUMN app.accounts.name IS 'Display name of the organisation.';
COMMENT ON COLUMN app.accounts.billing_email IS 'Where invoices and dunning mail go.';
COMMENT ON COLUMN app.accounts.country_code IS 'ISO 3166-1 alpha-2 country of the billing address; drives tax.';
COMMENT ON COLUMN app.accounts.parent_account_id IS 'Reseller account that manages this one, if any.';
COMMENT ON COLUMN app.accounts.created_at IS 'When the tenant signed up.';
COMMENT ON COLUMN app.accounts.updated_at IS 'Last change to this row (trigger-maintained).';
COMMENT ON COLUMN app.accounts.deleted_at IS 'Soft deletion: set when the tenant closes the account; data is purged 30 days later.';

CREATE TABLE app.account_settings (
  account_id          bigint PRIMARY KEY REFERENCES app.accounts (id) ON DELETE CASCADE,
  timezone            text NOT NULL DEFAULT 'UTC' CHECK (char_length(timezone) BETWEEN 1 AND 64),
  locale              text NOT NULL DEFAULT 'en-US' CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  sso_required        boolean NOT NULL DEFAULT false,
  data_retention_days integer NOT NULL DEFAULT 365 CHECK (data_retention_days BETWEEN 30 AND 3650),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app.account_settings IS 'Per-tenant preferences; exactly one row per account (1:1).';
COMMENT ON COLUMN app.account_settings.account_id IS 'The tenant these settings belong to.';
COMMENT ON COLUMN app.account_settings.timezone IS 'IANA time zone used to display dates and cut daily reports.';
COMMENT ON COLUMN app.account_settings.locale IS 'BCP 47 language tag for e-mails and the UI.';
COMMENT ON COLUMN app.account_settings.sso_required IS 'When true, password logins are refused for members.';
COMMENT ON COLUMN app.account_settings.data_retention_days IS 'How long events and tickets are kept before purging.';
COMMENT ON COLUMN app.account_settings.updated_at IS 'Last change to this row (trigger-maintained).';

CREATE TABLE app.users (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email             text NOT NULL CHECK (email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  full_name         text NOT NULL CHECK (char_length(full_name) BETWEEN 1 AND 200),
  password_hash     text,
  email_verified_at timestamptz,
  last_login_at     timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_key ON app.users (lower(email));
COMMENT ON TABLE app.users IS 'A person who can log in. Global: one user may belong to several accounts (see memberships).';
COMMENT ON COLUMN app.users.id IS 'User id.';
COMMENT ON COLUMN app.users.email IS 'Login e-mail; unique case-insensitively.';
COMMENT ON COLUMN app.users.full_name IS 'Name shown to colleagues.';
COMMENT ON COLUMN app.users.password_hash IS 'Argon2id hash; NULL for users who only sign in through SSO.';
COMMENT ON COLUMN app.users.email_verified_at IS 'When the user confirmed the address; NULL until then.';
COMMENT ON COLUMN app.users.last_login_at IS 'Most recent successful login.';
COMMENT ON COLUMN app.users.created_at IS 'When the user signed up or was invited.';
COMMENT ON COLUMN app.users.updated_at IS 'Last change to this row (trigger-maintained).';

CREATE TABLE app.roles (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role_key    text NOT NULL CHECK (role_key ~ '^[a-z_]+$'),
  name        text NOT NULL,
  description text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT roles_role_key_key UNIQUE (role_key)
);
COMMENT ON TABLE app.roles IS 'System roles a member can hold in an account (owner, admin, agent, billing, viewer).';
COMMENT ON COLUMN app.roles.id IS 'Role id.';
COMMENT ON COLUMN app.roles.role_key IS 'Stable identifier used by the application code.';
COMMENT ON COLUMN app.roles.name IS 'Display name.';
COMMENT ON COLUMN app.roles.description IS 'What a member with this role may do, in words.';
COMMENT ON COLUMN app.roles.created_at IS 'When the role was introduced.';

CREATE TABLE app.permissions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  permission_key text NOT NULL CHECK (permission_key ~ '^[a-z_]+\.[a-z_]+$'),
  description    text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT permissions_permission_key_key UNIQUE (permission_key)
);
COMMENT ON TABLE app.permissions IS 'Fine-grained capabilities checked by the application (resource.action).';
COMMENT ON COLUMN app.permissions.id IS 'Permission id.';
COMMENT ON COLUMN app.permissions.permission_key IS 'Capability name, e.g. tickets.assign or billing.read.';
COMMENT ON COLUMN app.permissions.description IS 'What the capability allows.';
COMMENT ON COLUMN app.permissions.created_at IS 'When the capability was introduced.';

CREATE TABLE app.role_permissions (
  role_id       bigint NOT NULL REFERENCES app.roles (id) ON DELETE CASCADE,
  permission_id bigint NOT NULL REFERENCES app.permissions (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (role_id, permission_id)
);
CREATE INDEX role_permissions_permission_id_idx ON app.role_permissions (permission_id);
COMMENT ON TABLE app.role_permissions IS 'Which permissions each role grants (many-to-many).';
COMMENT ON COLUMN app.role_permissions.role_id IS 'The role.';
COMMENT ON COLUMN app.role_permissions.permission_id IS 'A permission the role grants.';
COMMENT ON COLUMN app.role_permissions.created_at IS 'When the grant was added.';

CREATE TABLE app.memberships (
  account_id bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  user_id    bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  role_id    bigint NOT NULL REFERENCES app.roles (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, user_id)
);
CREATE INDEX memberships_user_id_idx ON app.memberships (user_id);
CREATE INDEX memberships_role_id_idx ON app.memberships (role_id);
COMMENT ON TABLE app.memberships IS 'A user''s membership of an account, with the role held there.';
COMMENT ON COLUMN app.memberships.account_id IS 'The account.';
COMMENT ON COLUMN app.memberships.user_id IS 'The member.';
COMMENT ON COLUMN app.memberships.role_id IS 'Role held in this account; permissions come from role_permissions.';
COMMENT ON COLUMN app.memberships.created_at IS 'When the user joined the account.';
COMMENT ON COLUMN app.memberships.updated_at IS 'Last change, e.g. a role change (trigger-maintained).';

CREATE TABLE app.api_keys (
  account_id         bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  name               text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  key_prefix         text NOT NULL CHECK (key_prefix ~ '^dbw_[a-z0-9]{8}$'),
  key_hash           bytea NOT NULL CHECK (octet_length(key_hash) = 32),
  scopes             text[] NOT NULL DEFAULT '{}',
  created_by_user_id bigint NOT NULL REFERENCES app.users (id),
  last_used_at       timestamptz,
  expires_at         timestamptz,
  revoked_at         timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT api_keys_account_id_key_hash_key UNIQUE (account_id, key_hash),
  CONSTRAINT api_keys_expires_after_created CHECK (expires_at > created_at),
  CONSTRAINT api_keys_revoked_after_created CHECK (revoked_at >= created_at)
);
CREATE INDEX api_keys_created_by_user_id_idx ON app.api_keys (created_by_user_id);
COMMENT ON TABLE app.api_keys IS 'Secret keys for the public API. Keys look like dbw_<account id>_<secret>; only a hash is stored.';
COMMENT ON COLUMN app.api_keys.account_id IS 'Account the key acts for.';
COMMENT ON COLUMN app.api_keys.id IS 'Key id.';
COMMENT ON COLUMN app.api_keys.name IS 'Label chosen by the user ("CI deploys").';
COMMENT ON COLUMN app.api_keys.key_prefix IS 'First characters of the key, shown in the UI so users can tell keys apart.';
COMMENT ON COLUMN app.api_keys.key_hash IS 'SHA-256 of the full key.';
COMMENT ON COLUMN app.api_keys.scopes IS 'Permission keys the key is limited to; empty means read-only.';
COMMENT ON COLUMN app.api_keys.created_by_user_id IS 'Member who created the key.';
COMMENT ON COLUMN app.api_keys.last_used_at IS 'Last authenticated request (updated at most once a minute).';
COMMENT ON COLUMN app.api_keys.expires_at IS 'Optional expiry.';
COMMENT ON COLUMN app.api_keys.revoked_at IS 'Set when the key is revoked; revoked keys are kept for the audit trail.';
COMMENT ON COLUMN app.api_keys.created_at IS 'When the key was created.';

CREATE TABLE app.sessions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
  token_hash   bytea NOT NULL CHECK (octet_length(token_hash) = 32),
  ip_address   inet,
  user_agent   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  CONSTRAINT sessions_token_hash_key UNIQUE (token_hash),
  CONSTRAINT sessions_expires_after_created CHECK (expires_at > created_at)
);
-- FLAW (design/duplicate-index): sessions_user_id_idx is a prefix of
-- sessions_user_id_expires_at_idx, which serves every query it serves (and the FK).
CREATE INDEX sessions_user_id_idx ON app.sessions (user_id);
CREATE INDEX sessions_user_id_expires_at_idx ON app.sessions (user_id, expires_at);
COMMENT ON TABLE app.sessions IS 'Browser login sessions of a user (global: a session is not tied to one account).';
COMMENT ON COLUMN app.sessions.id IS 'Session id.';
COMMENT ON COLUMN app.sessions.user_id IS 'Logged-in user.';
COMMENT ON COLUMN app.sessions.token_hash IS 'SHA-256 of the session cookie.';
COMMENT ON COLUMN app.sessions.ip_address IS 'Client address at login.';
COMMENT ON COLUMN app.sessions.user_agent IS 'Browser user agent at login.';
COMMENT ON COLUMN app.sessions.created_at IS 'Login time.';
COMMENT ON COLUMN app.sessions.last_seen_at IS 'Last request made with this session.';
COMMENT ON COLUMN app.sessions.expires_at IS 'Absolute expiry.';
COMMENT ON COLUMN app.sessions.revoked_at IS 'Set on logout or when an admin ends the session.';

-- FLAW (design/nullable-unique): account_id NULL means "global default", and the intent is one
-- global row per flag. With NULLs distinct, UNIQUE (flag_key, account_id) allows any number of
-- global rows for the same key; it should be UNIQUE NULLS NOT DISTINCT (PostgreSQL 15).
CREATE TABLE app.feature_flags (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  flag_key        text NOT NULL CHECK (flag_key ~ '^[a-z][a-z0-9_]*$'),
  account_id      bigint REFERENCES app.accounts (id) ON DELETE CASCADE,
  is_enabled      boolean NOT NULL DEFAULT false,
  rollout_percent smallint NOT NULL DEFAULT 100 CHECK (rollout_percent BETWEEN 0 AND 100),
  description     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT feature_flags_flag_key_account_id_key UNIQUE (flag_key, account_id)
);
CREATE INDEX feature_flags_account_id_idx ON app.feature_flags (account_id);
COMMENT ON TABLE app.feature_flags IS 'Feature switches: a global default row (account_id NULL) plus per-account overrides.';
COMMENT ON COLUMN app.feature_flags.id IS 'Flag row id.';
COMMENT ON COLUMN app.feature_flags.flag_key IS 'Name the code checks, e.g. new_inbox.';
COMMENT ON COLUMN app.feature_flags.account_id IS 'Account the override applies to; NULL for the global default.';
COMMENT ON COLUMN app.feature_flags.is_enabled IS 'Whether the feature is on.';
COMMENT ON COLUMN app.feature_flags.rollout_percent IS 'Share of users (by hash of user id) who see the feature when enabled.';
COMMENT ON COLUMN app.feature_flags.description IS 'Why the flag exists and when it can be removed.';
COMMENT ON COLUMN app.feature_flags.created_at IS 'When the flag row was created.';
COMMENT ON COLUMN app.feature_flags.updated_at IS 'Last change to this row (trigger-maintained).';

-- ---------------------------------------------------------------------------------------
-- app: integrations, webhooks
-- ---------------------------------------------------------------------------------------

CREATE TABLE app.integrations (
  account_id           bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  provider             app.integration_provider NOT NULL,
  display_name         text NOT NULL,
  config               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
  installed_by_user_id bigint NOT NULL REFERENCES app.users (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT integrations_account_id_provider_key UNIQUE (account_id, provider)
);
CREATE INDEX integrations_installed_by_user_id_idx ON app.integrations (installed_by_user_id);
COMMENT ON TABLE app.integrations IS 'Third-party products connected to an account (at most one per provider).';
COMMENT ON COLUMN app.integrations.account_id IS 'Owning account.';
COMMENT ON COLUMN app.integrations.id IS 'Integration id.';
COMMENT ON COLUMN app.integrations.provider IS 'Which product is connected.';
COMMENT ON COLUMN app.integrations.display_name IS 'Name shown in the UI, e.g. the Slack workspace.';
COMMENT ON COLUMN app.integrations.config IS 'Provider-specific settings (channel ids, project keys); secrets live in the vault, never here.';
COMMENT ON COLUMN app.integrations.installed_by_user_id IS 'Member who connected it.';
COMMENT ON COLUMN app.integrations.created_at IS 'When it was connected.';
COMMENT ON COLUMN app.integrations.updated_at IS 'Last change to this row (trigger-maintained).';

CREATE TABLE app.webhooks (
  account_id  bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id          bigint GENERATED ALWAYS AS IDENTITY,
  url         text NOT NULL CHECK (url ~ '^https://'),
  description text,
  event_types text[] NOT NULL CHECK (cardinality(event_types) > 0),
  secret_hash bytea NOT NULL CHECK (octet_length(secret_hash) = 32),
  is_enabled  boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  -- Consequence of the app.webhook_deliveries flaw: a tenant-less table can only reference
  -- webhooks through a key without account_id.
  CONSTRAINT webhooks_id_key UNIQUE (id)
);
COMMENT ON TABLE app.webhooks IS 'HTTPS endpoints an account registered to receive event notifications.';
COMMENT ON COLUMN app.webhooks.account_id IS 'Owning account.';
COMMENT ON COLUMN app.webhooks.id IS 'Webhook id.';
COMMENT ON COLUMN app.webhooks.url IS 'Endpoint; HTTPS only.';
COMMENT ON COLUMN app.webhooks.description IS 'Free-text note from the user.';
COMMENT ON COLUMN app.webhooks.event_types IS 'Event types delivered to this endpoint, e.g. {ticket.created,invoice.paid}.';
COMMENT ON COLUMN app.webhooks.secret_hash IS 'Hash of the signing secret shown once at creation.';
COMMENT ON COLUMN app.webhooks.is_enabled IS 'Disabled endpoints receive nothing; set automatically after repeated failures.';
COMMENT ON COLUMN app.webhooks.created_at IS 'When the endpoint was registered.';
COMMENT ON COLUMN app.webhooks.updated_at IS 'Last change to this row (trigger-maintained).';

-- FLAWS in this table (it came from the first version of the webhook worker):
--   design/serial-not-identity + design/int4-key-overflow-risk: id is serial (int4); ids were
--     carried over from the old system, so the sequence is already at 1.6 billion (see setval
--     at the end of this file) - 75% of the int4 range.
--   design/fk-without-index: webhook_id has only a PARTIAL index (failed deliveries), which
--     does not serve the FK check when a webhook is deleted or the per-webhook history page.
--   design/json-not-jsonb: request_body is json.
--   design/tenant-column-missing: no account_id; tenant isolation (RLS) is impossible and every
--     query has to join app.webhooks.
CREATE TABLE app.webhook_deliveries (
  id              serial PRIMARY KEY,
  webhook_id      bigint NOT NULL REFERENCES app.webhooks (id) ON DELETE CASCADE,
  event_id        bigint NOT NULL,
  event_type      text NOT NULL,
  request_body    json NOT NULL,
  response_status smallint CHECK (response_status BETWEEN 100 AND 599),
  response_body   text,
  attempt         integer NOT NULL DEFAULT 1 CHECK (attempt BETWEEN 1 AND 20),
  delivery_status text NOT NULL DEFAULT 'pending'
                  CHECK (delivery_status IN ('pending', 'succeeded', 'failed', 'abandoned')),
  attempted_at    timestamptz NOT NULL DEFAULT now(),
  next_attempt_at timestamptz
);
CREATE INDEX webhook_deliveries_retry_idx ON app.webhook_deliveries (webhook_id, next_attempt_at)
  WHERE delivery_status = 'failed';
COMMENT ON TABLE app.webhook_deliveries IS 'One row per HTTP delivery attempt of an event to a webhook.';
COMMENT ON COLUMN app.webhook_deliveries.id IS 'Delivery id (continues the old system''s numbering).';
COMMENT ON COLUMN app.webhook_deliveries.webhook_id IS 'Endpoint the event was sent to.';
COMMENT ON COLUMN app.webhook_deliveries.event_id IS 'app.events.id of the delivered event (no FK: events is partitioned).';
COMMENT ON COLUMN app.webhook_deliveries.event_type IS 'Copy of the event type, for filtering without touching events.';
COMMENT ON COLUMN app.webhook_deliveries.request_body IS 'Exact JSON body that was POSTed.';
COMMENT ON COLUMN app.webhook_deliveries.response_status IS 'HTTP status received; NULL on timeout or connection error.';
COMMENT ON COLUMN app.webhook_deliveries.response_body IS 'First 4 kB of the response body.';
COMMENT ON COLUMN app.webhook_deliveries.attempt IS 'Attempt number, 1 for the first try.';
COMMENT ON COLUMN app.webhook_deliveries.delivery_status IS 'pending, succeeded, failed (will retry) or abandoned (gave up).';
COMMENT ON COLUMN app.webhook_deliveries.attempted_at IS 'When the request was sent.';
COMMENT ON COLUMN app.webhook_deliveries.next_attempt_at IS 'When the worker retries a failed delivery.';

-- ---------------------------------------------------------------------------------------
-- app: events (partitioned by month) and audit log
-- ---------------------------------------------------------------------------------------

-- FLAW (design/partition-no-future): monthly partitions were created by hand up to the
-- current month (November 2026) and nobody scheduled the job that creates the next ones:
-- from December on every row lands in events_default, and creating the missing partition
-- later fails once the default partition holds rows for its range.
CREATE TABLE app.events (
  account_id    bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id            bigint GENERATED ALWAYS AS IDENTITY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  event_type    text NOT NULL CHECK (event_type ~ '^[a-z_]+(\.[a-z_]+)+$'),
  actor_user_id bigint,
  payload       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
  PRIMARY KEY (account_id, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX events_account_id_occurred_at_idx ON app.events (account_id, occurred_at);
CREATE INDEX events_account_id_event_type_idx ON app.events (account_id, event_type, occurred_at);
CREATE INDEX events_payload_idx ON app.events USING gin (account_id, payload jsonb_path_ops);
COMMENT ON TABLE app.events IS 'Product analytics and integration events, append-only, partitioned by month of occurred_at.';
COMMENT ON COLUMN app.events.account_id IS 'Account the event belongs to.';
COMMENT ON COLUMN app.events.id IS 'Event id (unique together with account_id and occurred_at).';
COMMENT ON COLUMN app.events.occurred_at IS 'When it happened; the partition key.';
COMMENT ON COLUMN app.events.event_type IS 'Dotted name, e.g. ticket.created or invoice.paid.';
COMMENT ON COLUMN app.events.actor_user_id IS 'User who caused the event, NULL for system events (no FK: events outlive users).';
COMMENT ON COLUMN app.events.payload IS 'Event body; always a JSON object. Queried with @> (GIN jsonb_path_ops).';

CREATE TABLE app.events_2026_08 PARTITION OF app.events
  FOR VALUES FROM ('2026-08-01 00:00:00+00') TO ('2026-09-01 00:00:00+00');
CREATE TABLE app.events_2026_09 PARTITION OF app.events
  FOR VALUES FROM ('2026-09-01 00:00:00+00') TO ('2026-10-01 00:00:00+00');
CREATE TABLE app.events_2026_10 PARTITION OF app.events
  FOR VALUES FROM ('2026-10-01 00:00:00+00') TO ('2026-11-01 00:00:00+00');
CREATE TABLE app.events_2026_11 PARTITION OF app.events
  FOR VALUES FROM ('2026-11-01 00:00:00+00') TO ('2026-12-01 00:00:00+00');
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
COMMENT ON TABLE app.events_2026_08 IS 'Events of August 2026 (UTC).';
COMMENT ON TABLE app.events_2026_09 IS 'Events of September 2026 (UTC).';
COMMENT ON TABLE app.events_2026_10 IS 'Events of October 2026 (UTC).';
COMMENT ON TABLE app.events_2026_11 IS 'Events of November 2026 (UTC).';
COMMENT ON TABLE app.events_default IS 'Events outside every monthly partition; should stay empty.';

CREATE TABLE app.audit_log (
  account_id    bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id            bigint GENERATED ALWAYS AS IDENTITY,
  occurred_at   timestamptz NOT NULL DEFAULT now(),
  actor_user_id bigint,
  action        text NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
  table_name    text NOT NULL,
  row_pk        text NOT NULL,
  old_row       jsonb,
  new_row       jsonb,
  PRIMARY KEY (account_id, id),
  CONSTRAINT audit_log_rows_match_action CHECK (
    (action = 'insert' AND old_row IS NULL AND new_row IS NOT NULL) OR
    (action = 'update' AND old_row IS NOT NULL AND new_row IS NOT NULL) OR
    (action = 'delete' AND old_row IS NOT NULL AND new_row IS NULL))
);
CREATE INDEX audit_log_account_id_occurred_at_idx ON app.audit_log (account_id, occurred_at);
CREATE INDEX audit_log_account_id_table_row_idx ON app.audit_log (account_id, table_name, row_pk);
COMMENT ON TABLE app.audit_log IS 'Who changed what: row images written by the app.write_audit_log() trigger. Append-only.';
COMMENT ON COLUMN app.audit_log.account_id IS 'Account whose data changed.';
COMMENT ON COLUMN app.audit_log.id IS 'Audit entry id.';
COMMENT ON COLUMN app.audit_log.occurred_at IS 'Transaction time of the change.';
COMMENT ON COLUMN app.audit_log.actor_user_id IS 'User from SET LOCAL app.user_id, NULL for system jobs (no FK: the log outlives users).';
COMMENT ON COLUMN app.audit_log.action IS 'insert, update or delete.';
COMMENT ON COLUMN app.audit_log.table_name IS 'Schema-qualified table that changed.';
COMMENT ON COLUMN app.audit_log.row_pk IS 'Primary key value (id) of the changed row, as text.';
COMMENT ON COLUMN app.audit_log.old_row IS 'Row before the change (update, delete).';
COMMENT ON COLUMN app.audit_log.new_row IS 'Row after the change (insert, update).';

CREATE FUNCTION app.write_audit_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_old jsonb;
  v_new jsonb;
  v_row jsonb;
BEGIN
  IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
  v_row := coalesce(v_new, v_old);
  INSERT INTO app.audit_log (account_id, actor_user_id, action, table_name, row_pk, old_row, new_row)
  VALUES ((v_row ->> 'account_id')::bigint,
          nullif(current_setting('app.user_id', true), '')::bigint,
          lower(TG_OP),
          TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME,
          v_row ->> 'id',
          v_old,
          v_new);
  RETURN NULL;
END;
$$;
COMMENT ON FUNCTION app.write_audit_log() IS
  'AFTER ROW trigger writing app.audit_log. SECURITY DEFINER so application roles need no INSERT on the log; search_path is pinned.';

-- ---------------------------------------------------------------------------------------
-- app: notifications, files, help desk
-- ---------------------------------------------------------------------------------------

CREATE TABLE app.notifications (
  account_id bigint NOT NULL,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  user_id    bigint NOT NULL,
  kind       text NOT NULL CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)+$'),
  title      text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
  body       text NOT NULL,
  link_url   text CHECK (link_url ~ '^(https://|/)'),
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT notifications_membership_fkey FOREIGN KEY (account_id, user_id)
    REFERENCES app.memberships (account_id, user_id) ON DELETE CASCADE
);
CREATE INDEX notifications_account_id_user_id_idx ON app.notifications (account_id, user_id, created_at);
COMMENT ON TABLE app.notifications IS 'In-app notifications for a member of an account (removed with the membership).';
COMMENT ON COLUMN app.notifications.account_id IS 'Account the notification is about.';
COMMENT ON COLUMN app.notifications.id IS 'Notification id.';
COMMENT ON COLUMN app.notifications.user_id IS 'Recipient; must be a member of the account.';
COMMENT ON COLUMN app.notifications.kind IS 'Dotted type, e.g. ticket.assigned; selects the template.';
COMMENT ON COLUMN app.notifications.title IS 'One-line summary.';
COMMENT ON COLUMN app.notifications.body IS 'Markdown body.';
COMMENT ON COLUMN app.notifications.link_url IS 'Where clicking the notification leads (absolute HTTPS or app-relative).';
COMMENT ON COLUMN app.notifications.read_at IS 'When the recipient opened it; NULL while unread.';
COMMENT ON COLUMN app.notifications.created_at IS 'When it was sent.';

CREATE TABLE app.files (
  account_id          bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id                  bigint GENERATED ALWAYS AS IDENTITY,
  uploaded_by_user_id bigint NOT NULL REFERENCES app.users (id),
  storage_key         text NOT NULL,
  file_name           text NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
  content_type        text NOT NULL CHECK (content_type ~ '^[a-z]+/[a-z0-9.+-]+$'),
  byte_size           bigint NOT NULL CHECK (byte_size >= 0),
  sha256              bytea NOT NULL CHECK (octet_length(sha256) = 32),
  created_at          timestamptz NOT NULL DEFAULT now(),
  deleted_at          timestamptz,
  PRIMARY KEY (account_id, id),
  CONSTRAINT files_account_id_storage_key_key UNIQUE (account_id, storage_key)
);
CREATE INDEX files_uploaded_by_user_id_idx ON app.files (uploaded_by_user_id);
COMMENT ON TABLE app.files IS 'Uploaded files; the bytes live in object storage, this is the metadata.';
COMMENT ON COLUMN app.files.account_id IS 'Owning account.';
COMMENT ON COLUMN app.files.id IS 'File id.';
COMMENT ON COLUMN app.files.uploaded_by_user_id IS 'Who uploaded it.';
COMMENT ON COLUMN app.files.storage_key IS 'Object key in the bucket (accounts/<id>/files/<uuid>).';
COMMENT ON COLUMN app.files.file_name IS 'Original file name as uploaded.';
COMMENT ON COLUMN app.files.content_type IS 'MIME type detected at upload.';
COMMENT ON COLUMN app.files.byte_size IS 'Size in bytes; counted against the plan''s storage quota.';
COMMENT ON COLUMN app.files.sha256 IS 'Content hash, used for de-duplication and integrity checks.';
COMMENT ON COLUMN app.files.created_at IS 'Upload time.';
COMMENT ON COLUMN app.files.deleted_at IS 'Soft deletion; the object is removed by a nightly job.';

CREATE TABLE app.tags (
  account_id bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id         bigint GENERATED ALWAYS AS IDENTITY,
  name       text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
  color      text NOT NULL DEFAULT '#888888' CHECK (color ~ '^#[0-9a-f]{6}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT tags_account_id_name_key UNIQUE (account_id, name)
);
COMMENT ON TABLE app.tags IS 'Labels an account defines to classify tickets.';
COMMENT ON COLUMN app.tags.account_id IS 'Owning account.';
COMMENT ON COLUMN app.tags.id IS 'Tag id.';
COMMENT ON COLUMN app.tags.name IS 'Label text, unique within the account.';
COMMENT ON COLUMN app.tags.color IS 'Display colour, #rrggbb.';
COMMENT ON COLUMN app.tags.created_at IS 'When the tag was created.';

CREATE TABLE app.tickets (
  account_id        bigint NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  requester_user_id bigint NOT NULL REFERENCES app.users (id),
  assignee_user_id  bigint REFERENCES app.users (id) ON DELETE SET NULL,
  subject           text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 300),
  body              text NOT NULL,
  ticket_status     app.ticket_status NOT NULL DEFAULT 'open',
  priority          app.ticket_priority NOT NULL DEFAULT 'normal',
  search_vector     tsvector GENERATED ALWAYS AS (
                      setweight(to_tsvector('english'::regconfig, subject), 'A') ||
                      setweight(to_tsvector('english'::regconfig, body), 'B')) STORED,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  solved_at         timestamptz,
  PRIMARY KEY (account_id, id),
  CONSTRAINT tickets_solved_after_created CHECK (solved_at >= created_at)
);
CREATE INDEX tickets_requester_user_id_idx ON app.tickets (requester_user_id);
CREATE INDEX tickets_assignee_user_id_idx ON app.tickets (assignee_user_id);
CREATE INDEX tickets_unsolved_idx ON app.tickets (account_id, priority, created_at)
  WHERE ticket_status IN ('open', 'pending');
CREATE INDEX tickets_search_idx ON app.tickets USING gin (account_id, search_vector);
COMMENT ON TABLE app.tickets IS 'Support requests raised by members of an account.';
COMMENT ON COLUMN app.tickets.account_id IS 'Owning account.';
COMMENT ON COLUMN app.tickets.id IS 'Ticket id.';
COMMENT ON COLUMN app.tickets.requester_user_id IS 'Who raised the ticket.';
COMMENT ON COLUMN app.tickets.assignee_user_id IS 'Support agent working on it; NULL while unassigned.';
COMMENT ON COLUMN app.tickets.subject IS 'One-line summary.';
COMMENT ON COLUMN app.tickets.body IS 'First message, Markdown.';
COMMENT ON COLUMN app.tickets.ticket_status IS 'Life-cycle state.';
COMMENT ON COLUMN app.tickets.priority IS 'Urgency set by the requester or an agent.';
COMMENT ON COLUMN app.tickets.search_vector IS 'Full-text document (subject weighted A, body B), generated.';
COMMENT ON COLUMN app.tickets.created_at IS 'When the ticket was raised.';
COMMENT ON COLUMN app.tickets.updated_at IS 'Last change to this row (trigger-maintained).';
COMMENT ON COLUMN app.tickets.solved_at IS 'When it was first marked solved.';

CREATE TABLE app.ticket_comments (
  account_id     bigint NOT NULL,
  id             bigint GENERATED ALWAYS AS IDENTITY,
  ticket_id      bigint NOT NULL,
  author_user_id bigint NOT NULL REFERENCES app.users (id),
  body           text NOT NULL CHECK (char_length(body) >= 1),
  is_internal    boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT ticket_comments_ticket_fkey FOREIGN KEY (account_id, ticket_id)
    REFERENCES app.tickets (account_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_comments_ticket_idx ON app.ticket_comments (account_id, ticket_id, created_at);
CREATE INDEX ticket_comments_author_user_id_idx ON app.ticket_comments (author_user_id);
COMMENT ON TABLE app.ticket_comments IS 'Replies on a ticket, public or internal to the support team.';
COMMENT ON COLUMN app.ticket_comments.account_id IS 'Owning account (same as the ticket''s).';
COMMENT ON COLUMN app.ticket_comments.id IS 'Comment id.';
COMMENT ON COLUMN app.ticket_comments.ticket_id IS 'Ticket the comment belongs to.';
COMMENT ON COLUMN app.ticket_comments.author_user_id IS 'Who wrote it.';
COMMENT ON COLUMN app.ticket_comments.body IS 'Markdown text.';
COMMENT ON COLUMN app.ticket_comments.is_internal IS 'Internal notes are hidden from the requester.';
COMMENT ON COLUMN app.ticket_comments.created_at IS 'When it was posted.';

CREATE TABLE app.ticket_tags (
  account_id bigint NOT NULL,
  ticket_id  bigint NOT NULL,
  tag_id     bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, ticket_id, tag_id),
  CONSTRAINT ticket_tags_ticket_fkey FOREIGN KEY (account_id, ticket_id)
    REFERENCES app.tickets (account_id, id) ON DELETE CASCADE,
  CONSTRAINT ticket_tags_tag_fkey FOREIGN KEY (account_id, tag_id)
    REFERENCES app.tags (account_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_tags_tag_idx ON app.ticket_tags (account_id, tag_id);
COMMENT ON TABLE app.ticket_tags IS 'Tags on tickets (many-to-many).';
COMMENT ON COLUMN app.ticket_tags.account_id IS 'Owning account; ticket and tag must both belong to it.';
COMMENT ON COLUMN app.ticket_tags.ticket_id IS 'The tagged ticket.';
COMMENT ON COLUMN app.ticket_tags.tag_id IS 'The tag.';
COMMENT ON COLUMN app.ticket_tags.created_at IS 'When the tag was applied.';

CREATE TABLE app.ticket_attachments (
  account_id bigint NOT NULL,
  ticket_id  bigint NOT NULL,
  file_id    bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, ticket_id, file_id),
  CONSTRAINT ticket_attachments_ticket_fkey FOREIGN KEY (account_id, ticket_id)
    REFERENCES app.tickets (account_id, id) ON DELETE CASCADE,
  CONSTRAINT ticket_attachments_file_fkey FOREIGN KEY (account_id, file_id)
    REFERENCES app.files (account_id, id) ON DELETE CASCADE
);
CREATE INDEX ticket_attachments_file_idx ON app.ticket_attachments (account_id, file_id);
COMMENT ON TABLE app.ticket_attachments IS 'Files attached to tickets (many-to-many: a file can be attached to several tickets).';
COMMENT ON COLUMN app.ticket_attachments.account_id IS 'Owning account; ticket and file must both belong to it.';
COMMENT ON COLUMN app.ticket_attachments.ticket_id IS 'The ticket.';
COMMENT ON COLUMN app.ticket_attachments.file_id IS 'The attached file.';
COMMENT ON COLUMN app.ticket_attachments.created_at IS 'When it was attached.';

-- ---------------------------------------------------------------------------------------
-- billing: catalogue (global)
-- ---------------------------------------------------------------------------------------

CREATE TABLE billing.plans (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_key    text NOT NULL CHECK (plan_key ~ '^[a-z][a-z0-9_]*$'),
  name        text NOT NULL,
  description text NOT NULL,
  seat_limit  integer CHECK (seat_limit > 0),
  is_public   boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz,
  CONSTRAINT plans_plan_key_key UNIQUE (plan_key)
);
COMMENT ON TABLE billing.plans IS 'Subscription tiers (free, starter, pro, enterprise).';
COMMENT ON COLUMN billing.plans.id IS 'Plan id.';
COMMENT ON COLUMN billing.plans.plan_key IS 'Stable identifier used by the code for entitlements.';
COMMENT ON COLUMN billing.plans.name IS 'Name on the pricing page.';
COMMENT ON COLUMN billing.plans.description IS 'Marketing summary.';
COMMENT ON COLUMN billing.plans.seat_limit IS 'Maximum members; NULL for unlimited.';
COMMENT ON COLUMN billing.plans.is_public IS 'False for plans sold only by the sales team.';
COMMENT ON COLUMN billing.plans.created_at IS 'When the plan was introduced.';
COMMENT ON COLUMN billing.plans.retired_at IS 'No new subscriptions after this; existing ones continue.';

CREATE TABLE billing.plan_prices (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  plan_id           bigint NOT NULL REFERENCES billing.plans (id),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  billing_interval  billing.billing_interval NOT NULL,
  unit_amount_cents bigint NOT NULL CHECK (unit_amount_cents >= 0),
  is_active         boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_prices_plan_id_idx ON billing.plan_prices (plan_id);
-- Not redundant with plan_prices_plan_id_idx: it is partial (active prices only) and unique.
CREATE UNIQUE INDEX plan_prices_one_active_key ON billing.plan_prices (plan_id, currency, billing_interval)
  WHERE is_active;
COMMENT ON TABLE billing.plan_prices IS 'What a plan costs per seat, per currency and interval. Immutable: a price change adds a row and deactivates the old one.';
COMMENT ON COLUMN billing.plan_prices.id IS 'Price id; subscriptions point here.';
COMMENT ON COLUMN billing.plan_prices.plan_id IS 'The plan.';
COMMENT ON COLUMN billing.plan_prices.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN billing.plan_prices.billing_interval IS 'Charged monthly or yearly.';
COMMENT ON COLUMN billing.plan_prices.unit_amount_cents IS 'Price per seat per interval, in the currency''s minor unit.';
COMMENT ON COLUMN billing.plan_prices.is_active IS 'Only active prices can be chosen for new subscriptions; one per plan, currency and interval.';
COMMENT ON COLUMN billing.plan_prices.created_at IS 'When the price was created.';

CREATE TABLE billing.products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_key text NOT NULL CHECK (product_key ~ '^[a-z][a-z0-9_]*$'),
  name        text NOT NULL,
  description text NOT NULL,
  unit_label  text NOT NULL,
  is_metered  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  archived_at timestamptz,
  CONSTRAINT products_product_key_key UNIQUE (product_key)
);
COMMENT ON TABLE billing.products IS 'Add-ons sold on top of a plan: extra storage, API call packs, SMS credits.';
COMMENT ON COLUMN billing.products.id IS 'Product id.';
COMMENT ON COLUMN billing.products.product_key IS 'Stable identifier used by the code.';
COMMENT ON COLUMN billing.products.name IS 'Name on invoices.';
COMMENT ON COLUMN billing.products.description IS 'What the customer gets.';
COMMENT ON COLUMN billing.products.unit_label IS 'Unit of quantity, e.g. "GB" or "1,000 API calls".';
COMMENT ON COLUMN billing.products.is_metered IS 'Metered products are billed from usage_records at period end.';
COMMENT ON COLUMN billing.products.created_at IS 'When the product was introduced.';
COMMENT ON COLUMN billing.products.archived_at IS 'No longer sold after this.';

CREATE TABLE billing.product_prices (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id        bigint NOT NULL REFERENCES billing.products (id),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  unit_amount_cents bigint NOT NULL CHECK (unit_amount_cents >= 0),
  valid_during      tstzrange NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT product_prices_valid_during_not_empty CHECK (NOT isempty(valid_during)),
  CONSTRAINT product_prices_valid_during_has_start CHECK (NOT lower_inf(valid_during)),
  CONSTRAINT product_prices_no_overlap EXCLUDE USING gist
    (product_id WITH =, currency WITH =, valid_during WITH &&)
);
CREATE INDEX product_prices_product_id_idx ON billing.product_prices (product_id);
COMMENT ON TABLE billing.product_prices IS 'Price history of add-ons: at most one price per product and currency at any instant.';
COMMENT ON COLUMN billing.product_prices.id IS 'Price id; invoice lines point here.';
COMMENT ON COLUMN billing.product_prices.product_id IS 'The product.';
COMMENT ON COLUMN billing.product_prices.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN billing.product_prices.unit_amount_cents IS 'Price per unit, in the currency''s minor unit.';
COMMENT ON COLUMN billing.product_prices.valid_during IS 'When this price applies, [from, to); an open upper bound means "until further notice".';
COMMENT ON COLUMN billing.product_prices.created_at IS 'When the price row was entered.';

-- FLAW (design/float-for-money): amount_off is double precision; 0.1 + 0.2 <> 0.3, and
-- discounts computed from it drift by a cent. Every other amount is bigint cents.
CREATE TABLE billing.coupons (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code            text NOT NULL CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{2,31}$'),
  percent_off     numeric(5,2) CHECK (percent_off > 0 AND percent_off <= 100),
  amount_off      double precision CHECK (amount_off > 0),
  currency        text CHECK (currency ~ '^[A-Z]{3}$'),
  duration_months integer CHECK (duration_months > 0),
  max_redemptions integer CHECK (max_redemptions > 0),
  valid_from      timestamptz NOT NULL DEFAULT now(),
  valid_until     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT coupons_code_key UNIQUE (code),
  CONSTRAINT coupons_one_discount CHECK ((percent_off IS NULL) <> (amount_off IS NULL)),
  CONSTRAINT coupons_amount_needs_currency CHECK (amount_off IS NULL OR currency IS NOT NULL),
  CONSTRAINT coupons_valid_period CHECK (valid_until > valid_from)
);
COMMENT ON TABLE billing.coupons IS 'Promotion codes: a percentage or a fixed amount off, for some months or forever.';
COMMENT ON COLUMN billing.coupons.id IS 'Coupon id.';
COMMENT ON COLUMN billing.coupons.code IS 'What the customer types at checkout (upper case).';
COMMENT ON COLUMN billing.coupons.percent_off IS 'Percentage discount; exclusive with amount_off.';
COMMENT ON COLUMN billing.coupons.amount_off IS 'Fixed discount in major units of currency; exclusive with percent_off.';
COMMENT ON COLUMN billing.coupons.currency IS 'Currency of amount_off.';
COMMENT ON COLUMN billing.coupons.duration_months IS 'How many invoices the discount applies to; NULL for forever.';
COMMENT ON COLUMN billing.coupons.max_redemptions IS 'Cap on the number of accounts that may redeem it; NULL for no cap.';
COMMENT ON COLUMN billing.coupons.valid_from IS 'First moment the code is accepted.';
COMMENT ON COLUMN billing.coupons.valid_until IS 'Code is refused from this moment; NULL for no end.';
COMMENT ON COLUMN billing.coupons.created_at IS 'When the coupon was created.';

-- ---------------------------------------------------------------------------------------
-- billing: subscriptions, invoices, payments, usage (tenant-owned)
-- ---------------------------------------------------------------------------------------

CREATE TABLE billing.subscriptions (
  account_id           bigint NOT NULL REFERENCES app.accounts (id) ON DELETE RESTRICT,
  id                   bigint GENERATED ALWAYS AS IDENTITY,
  plan_price_id        bigint NOT NULL REFERENCES billing.plan_prices (id),
  subscription_status  billing.subscription_status NOT NULL DEFAULT 'incomplete',
  quantity             bigint NOT NULL DEFAULT 1 CHECK (quantity >= 1),
  trial_ends_at        timestamptz,
  current_period_start timestamptz NOT NULL,
  current_period_end   timestamptz NOT NULL,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  canceled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT subscriptions_period_order CHECK (current_period_start < current_period_end)
);
CREATE INDEX subscriptions_plan_price_id_idx ON billing.subscriptions (plan_price_id);
-- Not redundant with the primary key: it enforces "at most one live subscription per account".
CREATE UNIQUE INDEX subscriptions_one_live_key ON billing.subscriptions (account_id)
  WHERE subscription_status IN ('incomplete', 'trialing', 'active', 'past_due');
COMMENT ON TABLE billing.subscriptions IS 'An account''s subscription to a plan price; history lives in subscription_changes.';
COMMENT ON COLUMN billing.subscriptions.account_id IS 'Subscribing account.';
COMMENT ON COLUMN billing.subscriptions.id IS 'Subscription id.';
COMMENT ON COLUMN billing.subscriptions.plan_price_id IS 'Current plan price (plan, currency, interval).';
COMMENT ON COLUMN billing.subscriptions.subscription_status IS 'Life-cycle state, synchronised from the payment gateway.';
COMMENT ON COLUMN billing.subscriptions.quantity IS 'Number of seats billed.';
COMMENT ON COLUMN billing.subscriptions.trial_ends_at IS 'End of the free trial, if any.';
COMMENT ON COLUMN billing.subscriptions.current_period_start IS 'Start of the period being billed.';
COMMENT ON COLUMN billing.subscriptions.current_period_end IS 'End of the current period: the next invoice date.';
COMMENT ON COLUMN billing.subscriptions.cancel_at_period_end IS 'True when the customer cancelled but keeps access until the period ends.';
COMMENT ON COLUMN billing.subscriptions.canceled_at IS 'When the subscription actually ended.';
COMMENT ON COLUMN billing.subscriptions.created_at IS 'When the customer subscribed.';
COMMENT ON COLUMN billing.subscriptions.updated_at IS 'Last change to this row (trigger-maintained).';

CREATE TABLE billing.subscription_changes (
  account_id         bigint NOT NULL,
  id                 bigint GENERATED ALWAYS AS IDENTITY,
  subscription_id    bigint NOT NULL,
  change_kind        text NOT NULL CHECK (change_kind IN
                       ('created', 'upgraded', 'downgraded', 'quantity_changed', 'canceled', 'reactivated')),
  from_plan_price_id bigint REFERENCES billing.plan_prices (id),
  to_plan_price_id   bigint NOT NULL REFERENCES billing.plan_prices (id),
  from_quantity      bigint CHECK (from_quantity >= 1),
  to_quantity        bigint NOT NULL CHECK (to_quantity >= 1),
  changed_by_user_id bigint REFERENCES app.users (id) ON DELETE SET NULL,
  effective_at       timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT subscription_changes_subscription_fkey FOREIGN KEY (account_id, subscription_id)
    REFERENCES billing.subscriptions (account_id, id) ON DELETE CASCADE,
  CONSTRAINT subscription_changes_created_has_no_from CHECK (
    (change_kind = 'created') = (from_plan_price_id IS NULL AND from_quantity IS NULL))
);
CREATE INDEX subscription_changes_subscription_idx ON billing.subscription_changes (account_id, subscription_id, effective_at);
CREATE INDEX subscription_changes_from_plan_price_id_idx ON billing.subscription_changes (from_plan_price_id);
CREATE INDEX subscription_changes_to_plan_price_id_idx ON billing.subscription_changes (to_plan_price_id);
CREATE INDEX subscription_changes_changed_by_user_id_idx ON billing.subscription_changes (changed_by_user_id);
COMMENT ON TABLE billing.subscription_changes IS 'Plan history: every creation, upgrade, downgrade, seat change and cancellation.';
COMMENT ON COLUMN billing.subscription_changes.account_id IS 'Subscribing account.';
COMMENT ON COLUMN billing.subscription_changes.id IS 'Change id.';
COMMENT ON COLUMN billing.subscription_changes.subscription_id IS 'The subscription that changed.';
COMMENT ON COLUMN billing.subscription_changes.change_kind IS 'What happened.';
COMMENT ON COLUMN billing.subscription_changes.from_plan_price_id IS 'Price before the change; NULL for creation.';
COMMENT ON COLUMN billing.subscription_changes.to_plan_price_id IS 'Price after the change.';
COMMENT ON COLUMN billing.subscription_changes.from_quantity IS 'Seats before the change; NULL for creation.';
COMMENT ON COLUMN billing.subscription_changes.to_quantity IS 'Seats after the change.';
COMMENT ON COLUMN billing.subscription_changes.changed_by_user_id IS 'Member who made the change; NULL for the billing system.';
COMMENT ON COLUMN billing.subscription_changes.effective_at IS 'When the change takes effect (may be the period end).';
COMMENT ON COLUMN billing.subscription_changes.created_at IS 'When the change was requested.';

CREATE TABLE billing.coupon_redemptions (
  account_id          bigint NOT NULL,
  id                  bigint GENERATED ALWAYS AS IDENTITY,
  coupon_id           bigint NOT NULL REFERENCES billing.coupons (id),
  subscription_id     bigint NOT NULL,
  redeemed_by_user_id bigint NOT NULL REFERENCES app.users (id),
  redeemed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT coupon_redemptions_account_id_coupon_id_key UNIQUE (account_id, coupon_id),
  CONSTRAINT coupon_redemptions_subscription_fkey FOREIGN KEY (account_id, subscription_id)
    REFERENCES billing.subscriptions (account_id, id) ON DELETE CASCADE
);
CREATE INDEX coupon_redemptions_coupon_id_idx ON billing.coupon_redemptions (coupon_id);
CREATE INDEX coupon_redemptions_subscription_idx ON billing.coupon_redemptions (account_id, subscription_id);
CREATE INDEX coupon_redemptions_redeemed_by_user_id_idx ON billing.coupon_redemptions (redeemed_by_user_id);
COMMENT ON TABLE billing.coupon_redemptions IS 'A coupon applied to an account''s subscription (once per account and coupon).';
COMMENT ON COLUMN billing.coupon_redemptions.account_id IS 'Redeeming account.';
COMMENT ON COLUMN billing.coupon_redemptions.id IS 'Redemption id.';
COMMENT ON COLUMN billing.coupon_redemptions.coupon_id IS 'The coupon.';
COMMENT ON COLUMN billing.coupon_redemptions.subscription_id IS 'Subscription the discount applies to.';
COMMENT ON COLUMN billing.coupon_redemptions.redeemed_by_user_id IS 'Member who entered the code.';
COMMENT ON COLUMN billing.coupon_redemptions.redeemed_at IS 'When it was redeemed.';

CREATE SEQUENCE billing.invoice_number_seq AS bigint START WITH 100001;
COMMENT ON SEQUENCE billing.invoice_number_seq IS 'Human-facing invoice numbers, gap-tolerant, shared by all accounts.';

CREATE TABLE billing.invoices (
  account_id        bigint NOT NULL REFERENCES app.accounts (id) ON DELETE RESTRICT,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  subscription_id   bigint NOT NULL,
  invoice_number    bigint NOT NULL DEFAULT nextval('billing.invoice_number_seq'),
  invoice_status    billing.invoice_status NOT NULL DEFAULT 'draft',
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  period_start      timestamptz NOT NULL,
  period_end        timestamptz NOT NULL,
  subtotal_cents    bigint NOT NULL DEFAULT 0 CHECK (subtotal_cents >= 0),
  discount_cents    bigint NOT NULL DEFAULT 0 CHECK (discount_cents >= 0),
  tax_cents         bigint NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
  total_cents       bigint GENERATED ALWAYS AS (subtotal_cents - discount_cents + tax_cents) STORED
                    CHECK (total_cents >= 0),
  amount_paid_cents bigint NOT NULL DEFAULT 0 CHECK (amount_paid_cents >= 0),
  due_at            timestamptz,
  finalized_at      timestamptz,
  paid_at           timestamptz,
  voided_at         timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT invoices_account_id_invoice_number_key UNIQUE (account_id, invoice_number),
  CONSTRAINT invoices_subscription_fkey FOREIGN KEY (account_id, subscription_id)
    REFERENCES billing.subscriptions (account_id, id) ON DELETE RESTRICT,
  CONSTRAINT invoices_period_order CHECK (period_start < period_end),
  CONSTRAINT invoices_discount_within_subtotal CHECK (discount_cents <= subtotal_cents),
  CONSTRAINT invoices_open_has_due_date CHECK (invoice_status = 'draft' OR due_at IS NOT NULL),
  CONSTRAINT invoices_paid_has_paid_at CHECK (invoice_status <> 'paid' OR paid_at IS NOT NULL)
);
ALTER SEQUENCE billing.invoice_number_seq OWNED BY billing.invoices.invoice_number;
CREATE INDEX invoices_subscription_idx ON billing.invoices (account_id, subscription_id);
CREATE INDEX invoices_account_id_created_at_idx ON billing.invoices (account_id, created_at);
CREATE INDEX invoices_open_due_idx ON billing.invoices (account_id, due_at) WHERE invoice_status = 'open';
COMMENT ON TABLE billing.invoices IS 'Invoices we issue to accounts, one per subscription period (plus line items).';
COMMENT ON COLUMN billing.invoices.account_id IS 'Invoiced account.';
COMMENT ON COLUMN billing.invoices.id IS 'Invoice id.';
COMMENT ON COLUMN billing.invoices.subscription_id IS 'Subscription the invoice bills.';
COMMENT ON COLUMN billing.invoices.invoice_number IS 'Number printed on the invoice (from billing.invoice_number_seq).';
COMMENT ON COLUMN billing.invoices.invoice_status IS 'Life-cycle state.';
COMMENT ON COLUMN billing.invoices.currency IS 'ISO 4217 currency of every amount on the invoice.';
COMMENT ON COLUMN billing.invoices.period_start IS 'Start of the billed period.';
COMMENT ON COLUMN billing.invoices.period_end IS 'End of the billed period (exclusive).';
COMMENT ON COLUMN billing.invoices.subtotal_cents IS 'Sum of the line items.';
COMMENT ON COLUMN billing.invoices.discount_cents IS 'Coupon discount, never more than the subtotal.';
COMMENT ON COLUMN billing.invoices.tax_cents IS 'VAT / sales tax.';
COMMENT ON COLUMN billing.invoices.total_cents IS 'Amount due: subtotal - discount + tax (generated).';
COMMENT ON COLUMN billing.invoices.amount_paid_cents IS 'Sum of succeeded payments.';
COMMENT ON COLUMN billing.invoices.due_at IS 'Payment deadline; set when the invoice is finalized.';
COMMENT ON COLUMN billing.invoices.finalized_at IS 'When the draft became open (numbers and amounts frozen).';
COMMENT ON COLUMN billing.invoices.paid_at IS 'When it was paid in full.';
COMMENT ON COLUMN billing.invoices.voided_at IS 'When it was voided.';
COMMENT ON COLUMN billing.invoices.created_at IS 'When the draft was created.';
COMMENT ON COLUMN billing.invoices.updated_at IS 'Last change to this row (trigger-maintained).';

CREATE TABLE billing.invoice_line_items (
  account_id        bigint NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  invoice_id        bigint NOT NULL,
  line_kind         text NOT NULL CHECK (line_kind IN ('subscription', 'addon', 'usage', 'adjustment')),
  plan_price_id     bigint REFERENCES billing.plan_prices (id),
  product_price_id  bigint REFERENCES billing.product_prices (id),
  description       text NOT NULL,
  quantity          bigint NOT NULL CHECK (quantity >= 0),
  unit_amount_cents bigint NOT NULL CHECK (unit_amount_cents >= 0),
  amount_cents      bigint GENERATED ALWAYS AS (quantity * unit_amount_cents) STORED
                    CHECK (amount_cents >= 0),
  period_start      timestamptz,
  period_end        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT invoice_line_items_invoice_fkey FOREIGN KEY (account_id, invoice_id)
    REFERENCES billing.invoices (account_id, id) ON DELETE CASCADE,
  CONSTRAINT invoice_line_items_one_price CHECK (num_nonnulls(plan_price_id, product_price_id) <= 1),
  CONSTRAINT invoice_line_items_subscription_has_plan CHECK (line_kind <> 'subscription' OR plan_price_id IS NOT NULL),
  CONSTRAINT invoice_line_items_period_order CHECK (period_start < period_end)
);
CREATE INDEX invoice_line_items_invoice_idx ON billing.invoice_line_items (account_id, invoice_id);
CREATE INDEX invoice_line_items_plan_price_id_idx ON billing.invoice_line_items (plan_price_id);
CREATE INDEX invoice_line_items_product_price_id_idx ON billing.invoice_line_items (product_price_id);
COMMENT ON TABLE billing.invoice_line_items IS 'Lines of an invoice: the plan, add-ons, metered usage and manual adjustments.';
COMMENT ON COLUMN billing.invoice_line_items.account_id IS 'Invoiced account (same as the invoice''s).';
COMMENT ON COLUMN billing.invoice_line_items.id IS 'Line id.';
COMMENT ON COLUMN billing.invoice_line_items.invoice_id IS 'The invoice.';
COMMENT ON COLUMN billing.invoice_line_items.line_kind IS 'subscription, addon, usage or adjustment.';
COMMENT ON COLUMN billing.invoice_line_items.plan_price_id IS 'Plan price billed on subscription lines.';
COMMENT ON COLUMN billing.invoice_line_items.product_price_id IS 'Product price billed on add-on and usage lines.';
COMMENT ON COLUMN billing.invoice_line_items.description IS 'Text printed on the invoice.';
COMMENT ON COLUMN billing.invoice_line_items.quantity IS 'Seats, units or usage quantity.';
COMMENT ON COLUMN billing.invoice_line_items.unit_amount_cents IS 'Price per unit at the time of invoicing.';
COMMENT ON COLUMN billing.invoice_line_items.amount_cents IS 'quantity * unit_amount_cents (generated).';
COMMENT ON COLUMN billing.invoice_line_items.period_start IS 'Service period start, for prorated or usage lines.';
COMMENT ON COLUMN billing.invoice_line_items.period_end IS 'Service period end (exclusive).';
COMMENT ON COLUMN billing.invoice_line_items.created_at IS 'When the line was added.';

CREATE TABLE billing.payments (
  account_id        bigint NOT NULL,
  id                bigint GENERATED ALWAYS AS IDENTITY,
  invoice_id        bigint NOT NULL,
  amount_cents      bigint NOT NULL CHECK (amount_cents > 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  payment_status    billing.payment_status NOT NULL DEFAULT 'pending',
  gateway           text NOT NULL CHECK (gateway ~ '^[a-z_]+$'),
  gateway_reference text NOT NULL,
  failure_reason    text,
  paid_at           timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT payments_gateway_reference_key UNIQUE (account_id, gateway, gateway_reference),
  CONSTRAINT payments_invoice_fkey FOREIGN KEY (account_id, invoice_id)
    REFERENCES billing.invoices (account_id, id) ON DELETE RESTRICT,
  CONSTRAINT payments_succeeded_has_paid_at CHECK (payment_status <> 'succeeded' OR paid_at IS NOT NULL),
  CONSTRAINT payments_failed_has_reason CHECK (payment_status <> 'failed' OR failure_reason IS NOT NULL)
);
CREATE INDEX payments_invoice_idx ON billing.payments (account_id, invoice_id);
COMMENT ON TABLE billing.payments IS 'Payment attempts against invoices, as reported by the payment gateway.';
COMMENT ON COLUMN billing.payments.account_id IS 'Paying account.';
COMMENT ON COLUMN billing.payments.id IS 'Payment id.';
COMMENT ON COLUMN billing.payments.invoice_id IS 'Invoice being paid.';
COMMENT ON COLUMN billing.payments.amount_cents IS 'Amount attempted, in the currency''s minor unit.';
COMMENT ON COLUMN billing.payments.currency IS 'ISO 4217 currency; equals the invoice''s.';
COMMENT ON COLUMN billing.payments.payment_status IS 'Outcome.';
COMMENT ON COLUMN billing.payments.gateway IS 'Payment provider, e.g. stripe or bank_transfer.';
COMMENT ON COLUMN billing.payments.gateway_reference IS 'Provider''s id for the charge; unique per gateway.';
COMMENT ON COLUMN billing.payments.failure_reason IS 'Provider''s decline reason for failed payments.';
COMMENT ON COLUMN billing.payments.paid_at IS 'When the money was captured.';
COMMENT ON COLUMN billing.payments.created_at IS 'When the attempt started.';

CREATE TABLE billing.usage_records (
  account_id      bigint NOT NULL,
  id              bigint GENERATED ALWAYS AS IDENTITY,
  subscription_id bigint NOT NULL,
  product_id      bigint NOT NULL REFERENCES billing.products (id),
  quantity        bigint NOT NULL CHECK (quantity >= 0),
  recorded_at     timestamptz NOT NULL,
  idempotency_key text NOT NULL CHECK (char_length(idempotency_key) BETWEEN 8 AND 100),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, id),
  CONSTRAINT usage_records_idempotency_key_key UNIQUE (account_id, idempotency_key),
  CONSTRAINT usage_records_subscription_fkey FOREIGN KEY (account_id, subscription_id)
    REFERENCES billing.subscriptions (account_id, id) ON DELETE CASCADE
);
CREATE INDEX usage_records_subscription_idx ON billing.usage_records (account_id, subscription_id, recorded_at);
CREATE INDEX usage_records_product_id_idx ON billing.usage_records (product_id);
COMMENT ON TABLE billing.usage_records IS 'Metered usage reported by the product (hourly roll-ups), billed at period end.';
COMMENT ON COLUMN billing.usage_records.account_id IS 'Account that used the product.';
COMMENT ON COLUMN billing.usage_records.id IS 'Record id.';
COMMENT ON COLUMN billing.usage_records.subscription_id IS 'Subscription the usage is billed on.';
COMMENT ON COLUMN billing.usage_records.product_id IS 'Metered product.';
COMMENT ON COLUMN billing.usage_records.quantity IS 'Units used in the hour, in the product''s unit_label.';
COMMENT ON COLUMN billing.usage_records.recorded_at IS 'Start of the hour the usage belongs to.';
COMMENT ON COLUMN billing.usage_records.idempotency_key IS 'Sender''s key; a retried report with the same key is ignored.';
COMMENT ON COLUMN billing.usage_records.created_at IS 'When the record was received.';

-- FLAWS in this table (imported as-is from the old reseller system, never reviewed):
--   design/no-primary-key, design/money-type (amount), design/check-missing-sign (amount),
--   design/timestamp-without-time-zone (processed_at), design/varchar-without-reason
--   (partner_name), design/missing-comment (no COMMENT on the table or any column),
--   design/rls-not-enabled (tenant data without row-level security).
CREATE TABLE billing.partner_payouts (
  account_id   bigint NOT NULL REFERENCES app.accounts (id),
  partner_name varchar(255) NOT NULL,
  amount       money NOT NULL,
  processed_at timestamp NOT NULL,
  reference    text
);
CREATE INDEX partner_payouts_account_id_idx ON billing.partner_payouts (account_id);

-- ---------------------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------------------

CREATE VIEW billing.open_invoices WITH (security_invoker = true) AS
SELECT i.account_id,
       i.id AS invoice_id,
       i.invoice_number,
       i.currency,
       i.total_cents,
       i.amount_paid_cents,
       i.total_cents - i.amount_paid_cents AS amount_due_cents,
       i.due_at,
       i.due_at < now() AS is_overdue
  FROM billing.invoices AS i
 WHERE i.invoice_status = 'open';
COMMENT ON VIEW billing.open_invoices IS 'Invoices awaiting payment with the amount still due. security_invoker, so the caller''s RLS applies.';
COMMENT ON COLUMN billing.open_invoices.account_id IS 'Invoiced account.';
COMMENT ON COLUMN billing.open_invoices.invoice_id IS 'Invoice id.';
COMMENT ON COLUMN billing.open_invoices.invoice_number IS 'Number printed on the invoice.';
COMMENT ON COLUMN billing.open_invoices.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN billing.open_invoices.total_cents IS 'Invoice total.';
COMMENT ON COLUMN billing.open_invoices.amount_paid_cents IS 'Paid so far.';
COMMENT ON COLUMN billing.open_invoices.amount_due_cents IS 'Still to pay.';
COMMENT ON COLUMN billing.open_invoices.due_at IS 'Payment deadline.';
COMMENT ON COLUMN billing.open_invoices.is_overdue IS 'True once the deadline has passed.';

-- Cross-tenant revenue analytics for the finance team; holds no per-account rows, so the
-- missing RLS on a materialized view does not leak tenant data.
CREATE MATERIALIZED VIEW billing.mrr_by_plan_month AS
SELECT date_trunc('month', i.period_start AT TIME ZONE 'UTC')::date AS month,
       p.plan_key,
       i.currency,
       count(DISTINCT i.account_id) AS paying_accounts,
       sum(CASE pp.billing_interval WHEN 'year' THEN li.amount_cents / 12.0
                                    ELSE li.amount_cents END)::bigint AS mrr_cents
  FROM billing.invoice_line_items AS li
  JOIN billing.invoices AS i ON i.account_id = li.account_id AND i.id = li.invoice_id
  JOIN billing.plan_prices AS pp ON pp.id = li.plan_price_id
  JOIN billing.plans AS p ON p.id = pp.plan_id
 WHERE li.line_kind = 'subscription'
   AND i.invoice_status IN ('open', 'paid')
 GROUP BY 1, 2, 3
WITH DATA;
CREATE UNIQUE INDEX mrr_by_plan_month_key ON billing.mrr_by_plan_month (month, plan_key, currency);
COMMENT ON MATERIALIZED VIEW billing.mrr_by_plan_month IS 'Monthly recurring revenue per plan and currency; refreshed nightly (REFRESH ... CONCURRENTLY).';
COMMENT ON COLUMN billing.mrr_by_plan_month.month IS 'Calendar month (UTC) of the billed period.';
COMMENT ON COLUMN billing.mrr_by_plan_month.plan_key IS 'Plan.';
COMMENT ON COLUMN billing.mrr_by_plan_month.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN billing.mrr_by_plan_month.paying_accounts IS 'Accounts invoiced for the plan that month.';
COMMENT ON COLUMN billing.mrr_by_plan_month.mrr_cents IS 'Recurring revenue normalised to one month (yearly prices / 12).';

-- ---------------------------------------------------------------------------------------
-- The flawed function
-- ---------------------------------------------------------------------------------------

-- FLAW (design/security-definer-search-path): SECURITY DEFINER (it must see api_keys before
-- the tenant is known, so it runs as the schema owner, which has BYPASSRLS) but without
-- SET search_path, and the table name is unqualified: whoever can create a table or function
-- named api_keys in a schema earlier on the caller's search_path runs code as the owner.
CREATE FUNCTION app.authenticate_api_key(p_account_id bigint, p_key_hash bytea) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
AS $$
DECLARE
  v_key_id bigint;
BEGIN
  UPDATE api_keys
     SET last_used_at = now()
   WHERE account_id = p_account_id
     AND key_hash = p_key_hash
     AND revoked_at IS NULL
     AND (expires_at IS NULL OR expires_at > now())
  RETURNING id INTO v_key_id;
  RETURN v_key_id;
END;
$$;
COMMENT ON FUNCTION app.authenticate_api_key(bigint, bytea) IS
  'Checks an API key and records its use; returns the key id or NULL. Called by the API gateway before the tenant is set.';

-- ---------------------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER accounts_set_updated_at BEFORE UPDATE ON app.accounts
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER account_settings_set_updated_at BEFORE UPDATE ON app.account_settings
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON app.users
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER memberships_set_updated_at BEFORE UPDATE ON app.memberships
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER feature_flags_set_updated_at BEFORE UPDATE ON app.feature_flags
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER integrations_set_updated_at BEFORE UPDATE ON app.integrations
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER webhooks_set_updated_at BEFORE UPDATE ON app.webhooks
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER tickets_set_updated_at BEFORE UPDATE ON app.tickets
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER subscriptions_set_updated_at BEFORE UPDATE ON billing.subscriptions
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();
CREATE TRIGGER invoices_set_updated_at BEFORE UPDATE ON billing.invoices
  FOR EACH ROW EXECUTE FUNCTION app.set_updated_at();

CREATE TRIGGER api_keys_audit AFTER INSERT OR UPDATE OR DELETE ON app.api_keys
  FOR EACH ROW EXECUTE FUNCTION app.write_audit_log();
CREATE TRIGGER subscriptions_audit AFTER INSERT OR UPDATE OR DELETE ON billing.subscriptions
  FOR EACH ROW EXECUTE FUNCTION app.write_audit_log();

-- ---------------------------------------------------------------------------------------
-- Row-level security: every tenant table (and every events partition, so a partition
-- queried directly is protected too). FORCE makes the table owner subject to it as well.
-- ---------------------------------------------------------------------------------------

ALTER TABLE app.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.accounts
  USING (id = app.current_account_id()) WITH CHECK (id = app.current_account_id());

ALTER TABLE app.account_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.account_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.account_settings
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.memberships
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.api_keys
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

-- Global defaults (account_id IS NULL) are readable by every tenant, writable by none.
ALTER TABLE app.feature_flags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.feature_flags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.feature_flags
  USING (account_id IS NULL OR account_id = app.current_account_id())
  WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.integrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.integrations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.integrations
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.webhooks ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.webhooks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.webhooks
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());
ALTER TABLE app.events_2026_08 ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events_2026_08 FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events_2026_08
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());
ALTER TABLE app.events_2026_09 ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events_2026_09 FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events_2026_09
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());
ALTER TABLE app.events_2026_10 ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events_2026_10 FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events_2026_10
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());
ALTER TABLE app.events_2026_11 ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events_2026_11 FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events_2026_11
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());
ALTER TABLE app.events_default ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.events_default FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.events_default
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.audit_log
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.notifications ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.notifications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.notifications
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.files ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.files FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.files
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.tags
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.tickets ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.tickets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.tickets
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.ticket_comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.ticket_comments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.ticket_comments
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.ticket_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.ticket_tags FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.ticket_tags
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE app.ticket_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.ticket_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app.ticket_attachments
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.subscriptions
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.subscription_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.subscription_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.subscription_changes
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.coupon_redemptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.coupon_redemptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.coupon_redemptions
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.invoices
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.invoice_line_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.invoice_line_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.invoice_line_items
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.payments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.payments
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

ALTER TABLE billing.usage_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.usage_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.usage_records
  USING (account_id = app.current_account_id()) WITH CHECK (account_id = app.current_account_id());

-- ---------------------------------------------------------------------------------------
-- Sequence state carried over from the old webhook system (see the app.webhook_deliveries flaw).
-- ---------------------------------------------------------------------------------------

SELECT setval('app.webhook_deliveries_id_seq', 1600000000);

COMMIT;
