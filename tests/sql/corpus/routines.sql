-- Views, functions, procedures, DO blocks, triggers, policies and grants.

CREATE VIEW shop.active_products AS
  SELECT product_id, sku, title, price_cents
  FROM shop.products
  WHERE NOT discontinued;

CREATE OR REPLACE VIEW shop.order_totals WITH (security_barrier = true) AS
  SELECT o.order_id, o.customer_id, sum(i.quantity * p.price_cents) AS total_cents
  FROM shop.orders o
  JOIN shop.order_items i USING (order_id)
  JOIN shop.products p ON p.product_id = i.product_id
  GROUP BY o.order_id, o.customer_id;

CREATE VIEW shop.cheap_products AS
  SELECT * FROM shop.products WHERE price_cents < 1000
  WITH LOCAL CHECK OPTION;

CREATE RECURSIVE VIEW shop.category_tree (category_id, parent_id, depth) AS
  SELECT category_id, parent_id, 0 FROM shop.categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.category_id, c.parent_id, t.depth + 1
  FROM shop.categories c JOIN shop.category_tree t ON c.parent_id = t.category_id;

ALTER VIEW shop.cheap_products RENAME TO bargain_products;
ALTER VIEW shop.order_totals SET (security_invoker = on);
ALTER VIEW shop.active_products ALTER COLUMN title SET DEFAULT 'untitled';
DROP VIEW IF EXISTS shop.bargain_products CASCADE;

CREATE MATERIALIZED VIEW shop.monthly_sales AS
  SELECT date_trunc('month', placed_at) AS month, count(*) AS orders, sum(total_cents) AS cents
  FROM shop.orders
  GROUP BY 1
WITH NO DATA;
CREATE MATERIALIZED VIEW IF NOT EXISTS shop.top_customers
  WITH (fillfactor = 100) AS
  SELECT customer_id, sum(total_cents) AS spent FROM shop.orders GROUP BY customer_id
  ORDER BY spent DESC LIMIT 100;
CREATE UNIQUE INDEX monthly_sales_month_idx ON shop.monthly_sales (month);
REFRESH MATERIALIZED VIEW shop.monthly_sales;
REFRESH MATERIALIZED VIEW CONCURRENTLY shop.monthly_sales WITH DATA;
ALTER MATERIALIZED VIEW shop.top_customers SET SCHEMA public;
DROP MATERIALIZED VIEW IF EXISTS public.top_customers;

CREATE OR REPLACE FUNCTION shop.touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- keep the row's modification time; a semicolon in a comment; is fine
  NEW.updated_at := now();
  RETURN NEW;
END;
$$;

CREATE FUNCTION shop.order_total(p_order_id bigint) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $body$
  SELECT coalesce(sum(i.quantity * p.price_cents), 0)
  FROM shop.order_items i JOIN shop.products p USING (product_id)
  WHERE i.order_id = p_order_id;
$body$;

CREATE OR REPLACE FUNCTION shop.slugify(input text)
RETURNS text
IMMUTABLE STRICT
LANGUAGE plpgsql
AS $fn$
DECLARE
  result text;
BEGIN
  result := lower(regexp_replace(input, '[^a-zA-Z0-9]+', '-', 'g'));
  -- a nested dollar quote: $$ does not end this body
  RETURN trim(BOTH '-' FROM result) || $$$$;
END
$fn$;

CREATE FUNCTION shop.add(a integer, b integer) RETURNS integer
  RETURN a + b;

CREATE FUNCTION shop.customer_orders(p_customer bigint, OUT order_id bigint, OUT placed_at timestamptz)
RETURNS SETOF record
LANGUAGE sql
BEGIN ATOMIC
  SELECT o.order_id, o.placed_at FROM shop.orders o WHERE o.customer_id = p_customer;
END;

CREATE FUNCTION shop.notify_order() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = shop, pg_temp AS '
BEGIN
  PERFORM pg_notify(''orders'', NEW.order_id::text);
  RETURN NULL;
END;
';

CREATE OR REPLACE PROCEDURE shop.archive_orders(before timestamptz, INOUT moved integer DEFAULT 0)
LANGUAGE plpgsql
AS $proc$
BEGIN
  WITH gone AS (
    DELETE FROM shop.orders WHERE placed_at < before RETURNING *
  )
  INSERT INTO shop.orders_archive SELECT * FROM gone;
  GET DIAGNOSTICS moved = ROW_COUNT;
  COMMIT;
END;
$proc$;

CALL shop.archive_orders(now() - interval '2 years');
ALTER FUNCTION shop.slugify(text) SET search_path = pg_catalog;
ALTER FUNCTION shop.order_total(bigint) COST 50;
ALTER PROCEDURE shop.archive_orders(timestamptz, integer) SECURITY INVOKER;
DROP FUNCTION IF EXISTS shop.add(integer, integer);

CREATE AGGREGATE shop.product_of(numeric) (
  SFUNC = numeric_mul,
  STYPE = numeric,
  INITCOND = '1'
);

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_reader') THEN
    CREATE ROLE app_reader NOLOGIN;
  END IF;
END
$$;

DO LANGUAGE plpgsql $do$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'shop' LOOP
    EXECUTE format('ANALYZE shop.%I;', r.tablename);
  END LOOP;
END;
$do$;

DO $migrate$
DECLARE
  batch_size constant integer := 5000;
  moved integer;
BEGIN
  LOOP
    UPDATE shop.products SET search = to_tsvector('simple', title)
    WHERE product_id IN (
      SELECT product_id FROM shop.products WHERE search IS NULL LIMIT batch_size
    );
    GET DIAGNOSTICS moved = ROW_COUNT;
    EXIT WHEN moved = 0;
    RAISE NOTICE 'backfilled % rows', moved;
  END LOOP;
END $migrate$;

CREATE TRIGGER products_touch
  BEFORE UPDATE ON shop.products
  FOR EACH ROW
  EXECUTE FUNCTION shop.touch_updated_at();
CREATE OR REPLACE TRIGGER orders_notify
  AFTER INSERT OR UPDATE OF status ON shop.orders
  FOR EACH ROW
  WHEN (NEW.status IS DISTINCT FROM 'draft')
  EXECUTE PROCEDURE shop.notify_order();
CREATE TRIGGER order_items_audit
  AFTER INSERT OR UPDATE OR DELETE ON shop.order_items
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT
  EXECUTE FUNCTION audit.log_statement();
CREATE CONSTRAINT TRIGGER shipments_check
  AFTER INSERT ON shop.shipments
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION shop.check_shipment();
ALTER TABLE shop.products DISABLE TRIGGER products_touch;
ALTER TABLE shop.products ENABLE ALWAYS TRIGGER products_touch;
ALTER TRIGGER orders_notify ON shop.orders RENAME TO orders_status_notify;
DROP TRIGGER IF EXISTS order_items_audit ON shop.order_items;

CREATE EVENT TRIGGER log_ddl ON ddl_command_end
  WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
  EXECUTE FUNCTION audit.log_ddl();

ALTER TABLE shop.orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE shop.orders FORCE ROW LEVEL SECURITY;
CREATE POLICY orders_tenant_isolation ON shop.orders
  USING (tenant_id = current_setting('app.tenant_id')::integer);
CREATE POLICY orders_insert_own ON shop.orders AS RESTRICTIVE FOR INSERT TO app_reader
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true)::integer);
CREATE POLICY orders_admin ON shop.orders FOR ALL TO PUBLIC USING (true) WITH CHECK (true);
ALTER POLICY orders_admin ON shop.orders TO CURRENT_USER;
DROP POLICY IF EXISTS orders_admin ON shop.orders;

COMMENT ON VIEW shop.order_totals IS 'Order totals in cents; recomputed on every read';
COMMENT ON MATERIALIZED VIEW shop.monthly_sales IS 'Refreshed nightly';
COMMENT ON FUNCTION shop.slugify(text) IS 'URL-safe form of a title';
COMMENT ON TRIGGER products_touch ON shop.products IS 'Maintains updated_at';
COMMENT ON POLICY orders_tenant_isolation ON shop.orders IS 'One tenant per session';
COMMENT ON CONSTRAINT products_price_positive ON shop.products IS 'Free products are modelled as discounts';
COMMENT ON INDEX shop.products_tags_idx IS $$Supports tags @> '{sale}'$$;

GRANT USAGE ON SCHEMA shop TO app_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA shop TO app_reader;
GRANT SELECT, INSERT, UPDATE (status) ON shop.orders TO app_reader WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION shop.order_total(bigint) TO PUBLIC;
REVOKE ALL ON shop.products FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA shop GRANT SELECT ON TABLES TO app_reader;
CREATE ROLE app_writer WITH LOGIN PASSWORD 'placeholder' VALID UNTIL 'infinity' CONNECTION LIMIT 20;
ALTER ROLE app_writer SET statement_timeout = '30s';
GRANT app_reader TO app_writer;
DROP ROLE IF EXISTS app_legacy;
