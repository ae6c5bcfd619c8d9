-- Partitioned, unlogged, temporary and foreign tables of an event-tracking system.

CREATE TABLE public.page_views (
  view_id     bigint GENERATED ALWAYS AS IDENTITY,
  tenant_id   integer NOT NULL,
  viewed_at   timestamptz NOT NULL,
  path        text NOT NULL,
  referrer    text,
  duration_ms integer CHECK (duration_ms >= 0),
  PRIMARY KEY (tenant_id, viewed_at, view_id)
) PARTITION BY RANGE (viewed_at);

CREATE TABLE public.page_views_2024_01 PARTITION OF public.page_views
  FOR VALUES FROM ('2024-01-01 00:00:00+00') TO ('2024-02-01 00:00:00+00');
CREATE TABLE public.page_views_2024_02 PARTITION OF public.page_views
  FOR VALUES FROM ('2024-02-01 00:00:00+00') TO ('2024-03-01 00:00:00+00')
  WITH (fillfactor = 100);
CREATE TABLE public.page_views_old PARTITION OF public.page_views
  FOR VALUES FROM (MINVALUE) TO ('2024-01-01 00:00:00+00');
CREATE TABLE public.page_views_default PARTITION OF public.page_views DEFAULT;

CREATE TABLE public.orders (
  order_id    bigint NOT NULL,
  region      text NOT NULL,
  customer_id bigint NOT NULL,
  placed_at   timestamptz NOT NULL DEFAULT now(),
  total_cents bigint NOT NULL
) PARTITION BY LIST (region);

CREATE TABLE public.orders_eu PARTITION OF public.orders FOR VALUES IN ('de', 'fr', 'it', 'es', 'nl');
CREATE TABLE public.orders_us PARTITION OF public.orders FOR VALUES IN ('us')
  PARTITION BY RANGE (placed_at);
CREATE TABLE public.orders_us_2024 PARTITION OF public.orders_us
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.orders_other PARTITION OF public.orders DEFAULT;
CREATE TABLE public.orders_null_region PARTITION OF public.orders FOR VALUES IN (NULL);

CREATE TABLE public.sessions (
  session_id uuid NOT NULL,
  user_id    bigint NOT NULL,
  data       bytea,
  expires_at timestamptz NOT NULL
) PARTITION BY HASH (session_id);

CREATE TABLE public.sessions_p0 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE public.sessions_p1 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE public.sessions_p2 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE public.sessions_p3 PARTITION OF public.sessions FOR VALUES WITH (MODULUS 4, REMAINDER 3);

CREATE TABLE public.metrics (
  metric    text NOT NULL,
  bucket    date NOT NULL,
  host_id   integer NOT NULL,
  value     double precision
) PARTITION BY RANGE (bucket, host_id);
CREATE TABLE public.metrics_2024q1_low PARTITION OF public.metrics
  FOR VALUES FROM ('2024-01-01', MINVALUE) TO ('2024-04-01', 1000);

CREATE TABLE public.page_views_2024_03 (LIKE public.page_views INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
ALTER TABLE public.page_views_2024_03 ADD CONSTRAINT page_views_2024_03_bounds
  CHECK (viewed_at >= '2024-03-01 00:00:00+00' AND viewed_at < '2024-04-01 00:00:00+00');
ALTER TABLE public.page_views ATTACH PARTITION public.page_views_2024_03
  FOR VALUES FROM ('2024-03-01 00:00:00+00') TO ('2024-04-01 00:00:00+00');
ALTER TABLE public.page_views DETACH PARTITION public.page_views_old;
ALTER TABLE public.page_views DETACH PARTITION public.page_views_2024_01 CONCURRENTLY;
ALTER TABLE public.page_views DETACH PARTITION public.page_views_2024_01 FINALIZE;
ALTER TABLE public.orders ATTACH PARTITION public.orders_null_region FOR VALUES IN (NULL);

CREATE UNLOGGED TABLE public.import_staging (
  line_no  integer,
  raw      text,
  imported boolean NOT NULL DEFAULT false
);
CREATE UNLOGGED TABLE IF NOT EXISTS public.cache_entries (
  cache_key  text PRIMARY KEY,
  value      jsonb NOT NULL,
  expires_at timestamptz
) WITH (autovacuum_enabled = false);

CREATE TEMP TABLE tmp_ids (id bigint PRIMARY KEY) ON COMMIT DROP;
CREATE TEMPORARY TABLE tmp_totals (customer_id bigint, total numeric) ON COMMIT DELETE ROWS;
CREATE LOCAL TEMP TABLE tmp_snapshot AS SELECT * FROM public.orders WHERE false;
CREATE GLOBAL TEMPORARY TABLE tmp_flags (flag text) ON COMMIT PRESERVE ROWS;

CREATE FOREIGN DATA WRAPPER dummy_fdw;
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER legacy_erp FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'erp.internal', port '5432', dbname 'erp');
CREATE USER MAPPING FOR CURRENT_USER SERVER legacy_erp
  OPTIONS (user 'reporter', password 'not-a-real-secret');
CREATE FOREIGN TABLE public.erp_invoices (
  invoice_no  text NOT NULL,
  customer_no text,
  amount      numeric(14, 2) OPTIONS (column_name 'amt'),
  issued_on   date
) SERVER legacy_erp OPTIONS (schema_name 'finance', table_name 'invoices');
CREATE FOREIGN TABLE public.page_views_archive PARTITION OF public.page_views
  FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')
  SERVER legacy_erp OPTIONS (table_name 'page_views_2020');
ALTER FOREIGN TABLE public.erp_invoices ALTER COLUMN issued_on OPTIONS (ADD column_name 'issue_date');
ALTER SERVER legacy_erp OPTIONS (SET port '5433');
IMPORT FOREIGN SCHEMA finance LIMIT TO (payments, refunds)
  FROM SERVER legacy_erp INTO public;
DROP FOREIGN TABLE IF EXISTS public.erp_invoices;
DROP USER MAPPING IF EXISTS FOR CURRENT_USER SERVER legacy_erp;
DROP SERVER IF EXISTS legacy_erp CASCADE;

ALTER TABLE public.page_views SET (parallel_workers = 4);
ALTER TABLE ONLY public.orders ADD CONSTRAINT orders_total_check CHECK (total_cents >= 0) NOT VALID;
ALTER TABLE public.orders_eu NO INHERIT public.orders;
DROP TABLE IF EXISTS public.page_views_default;
TRUNCATE TABLE public.import_staging RESTART IDENTITY;
TRUNCATE public.page_views_2024_01, public.page_views_2024_02 CONTINUE IDENTITY CASCADE;
