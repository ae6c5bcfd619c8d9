-- Keys, constraints and indexes for an order-management schema.

CREATE TABLE shop.products (
  product_id  bigserial PRIMARY KEY,
  sku         text NOT NULL,
  title       text NOT NULL,
  price_cents integer NOT NULL CONSTRAINT products_price_positive CHECK (price_cents > 0),
  tags        text[] NOT NULL DEFAULT '{}',
  attributes  jsonb,
  search      tsvector,
  discontinued boolean NOT NULL DEFAULT false,
  CONSTRAINT products_sku_key UNIQUE (sku) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE shop.order_items (
  order_id   bigint NOT NULL REFERENCES shop.orders (order_id) ON DELETE CASCADE,
  product_id bigint NOT NULL REFERENCES shop.products ON DELETE RESTRICT ON UPDATE CASCADE,
  quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 10000),
  CONSTRAINT order_items_pkey PRIMARY KEY (order_id, product_id)
);

CREATE TABLE shop.shipments (
  shipment_id bigint PRIMARY KEY,
  order_id    bigint NOT NULL,
  carrier     text,
  address_id  bigint,
  shipped_at  timestamptz,
  CONSTRAINT shipments_order_fk FOREIGN KEY (order_id)
    REFERENCES shop.orders (order_id) MATCH FULL ON DELETE NO ACTION DEFERRABLE INITIALLY IMMEDIATE,
  CONSTRAINT shipments_address_fk FOREIGN KEY (address_id)
    REFERENCES shop.addresses (address_id) MATCH SIMPLE ON DELETE SET NULL NOT DEFERRABLE
);

CREATE TABLE shop.room_bookings (
  booking_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room_id    integer NOT NULL,
  during     tstzrange NOT NULL,
  canceled   boolean NOT NULL DEFAULT false,
  CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)
    WHERE (NOT canceled)
);

ALTER TABLE shop.orders ADD CONSTRAINT orders_customer_fk
  FOREIGN KEY (customer_id) REFERENCES shop.customers (customer_id) NOT VALID;
ALTER TABLE shop.orders VALIDATE CONSTRAINT orders_customer_fk;
ALTER TABLE shop.order_items ADD CONSTRAINT order_items_tenant_fk
  FOREIGN KEY (tenant_id, order_id) REFERENCES shop.orders (tenant_id, order_id)
  MATCH FULL ON DELETE SET NULL (order_id) ON UPDATE NO ACTION;
ALTER TABLE shop.order_items ADD CONSTRAINT order_items_default_fk
  FOREIGN KEY (product_id) REFERENCES shop.products (product_id) ON DELETE SET DEFAULT;
ALTER TABLE shop.products ADD CONSTRAINT products_title_not_blank CHECK (btrim(title) <> '') NOT VALID;
ALTER TABLE shop.products VALIDATE CONSTRAINT products_title_not_blank;
ALTER TABLE shop.products ADD CONSTRAINT products_attributes_object
  CHECK (attributes IS NULL OR jsonb_typeof(attributes) = 'object') NO INHERIT;
ALTER TABLE shop.products DROP CONSTRAINT IF EXISTS products_old_check;
ALTER TABLE shop.products RENAME CONSTRAINT products_sku_key TO products_sku_unique;
ALTER TABLE shop.products ALTER CONSTRAINT products_sku_unique NOT DEFERRABLE;
ALTER TABLE shop.shipments ADD CONSTRAINT shipments_pkey_new PRIMARY KEY USING INDEX shipments_id_idx;
ALTER TABLE shop.shipments ADD CONSTRAINT shipments_carrier_order_key UNIQUE USING INDEX shipments_carrier_order_idx;
ALTER TABLE shop.customers ADD CONSTRAINT customers_email_lower_key UNIQUE NULLS NOT DISTINCT (email);
ALTER TABLE shop.room_bookings ADD CONSTRAINT room_bookings_room_range_excl
  EXCLUDE USING gist (room_id WITH =, during WITH &&) DEFERRABLE INITIALLY DEFERRED;
SET CONSTRAINTS ALL DEFERRED;
SET CONSTRAINTS shop.products_sku_unique IMMEDIATE;

CREATE INDEX products_title_idx ON shop.products (title);
CREATE UNIQUE INDEX products_sku_lower_idx ON shop.products (lower(sku));
CREATE INDEX CONCURRENTLY IF NOT EXISTS order_items_product_idx ON shop.order_items (product_id);
CREATE INDEX products_active_idx ON shop.products (product_id) WHERE NOT discontinued;
CREATE INDEX products_price_idx ON shop.products USING btree (price_cents DESC NULLS LAST) INCLUDE (title, sku);
CREATE INDEX products_tags_idx ON shop.products USING gin (tags);
CREATE INDEX products_attributes_idx ON shop.products USING gin (attributes jsonb_path_ops);
CREATE INDEX products_search_idx ON shop.products USING gin (search);
CREATE INDEX products_title_trgm_idx ON shop.products USING gin (title gin_trgm_ops);
CREATE INDEX room_bookings_during_idx ON shop.room_bookings USING gist (during);
CREATE INDEX shipments_shipped_brin ON shop.shipments USING brin (shipped_at) WITH (pages_per_range = 32);
CREATE INDEX shipments_carrier_hash ON shop.shipments USING hash (carrier);
CREATE INDEX addresses_point_idx ON shop.addresses USING spgist (location);
CREATE INDEX products_name_collate_idx ON shop.products (title COLLATE "C" text_pattern_ops);
CREATE INDEX orders_placed_month_idx ON shop.orders ((date_trunc('month', placed_at AT TIME ZONE 'UTC')));
CREATE UNIQUE INDEX CONCURRENTLY orders_external_idx ON shop.orders (external_id) NULLS NOT DISTINCT;
CREATE INDEX ON shop.orders (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON ONLY shop.orders (status) WHERE status IN ('open', 'pending');
CREATE INDEX orders_big_idx ON shop.orders (total_cents) WITH (fillfactor = 70, deduplicate_items = off)
  TABLESPACE pg_default;
ALTER INDEX shop.orders_open_idx ATTACH PARTITION shop.orders_2024_open_idx;
ALTER INDEX IF EXISTS shop.products_title_idx RENAME TO products_title_btree;
ALTER INDEX shop.products_price_idx SET (fillfactor = 80);
ALTER INDEX shop.products_price_idx ALTER COLUMN 1 SET STATISTICS 1000;
REINDEX INDEX CONCURRENTLY shop.products_title_btree;
REINDEX (VERBOSE) TABLE shop.products;
REINDEX SCHEMA CONCURRENTLY shop;
CLUSTER shop.shipments USING shipments_pkey;
DROP INDEX CONCURRENTLY IF EXISTS shop.products_name_collate_idx;
DROP INDEX shop.shipments_carrier_hash, shop.addresses_point_idx CASCADE;
ANALYZE shop.products;
ANALYZE VERBOSE shop.orders (customer_id, placed_at);
VACUUM (ANALYZE, VERBOSE, PARALLEL 2) shop.order_items;
VACUUM FULL shop.room_bookings;
