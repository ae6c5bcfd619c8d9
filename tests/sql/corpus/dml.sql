-- Queries and data changes an application and its jobs send.

INSERT INTO shop.products (sku, title, price_cents, tags)
VALUES ('SKU-001', 'Espresso cup', 1200, ARRAY['kitchen', 'ceramic']),
       ('SKU-002', 'Milk jug', 1850, '{kitchen}'),
       ('SKU-003', 'Tamper', 2999, DEFAULT);
INSERT INTO shop.products (sku, title, price_cents) VALUES ('SKU-004', 'Grinder', 12900)
ON CONFLICT (sku) DO NOTHING;
INSERT INTO shop.products AS p (sku, title, price_cents) VALUES ('SKU-001', 'Espresso cup, white', 1300)
ON CONFLICT (sku) DO UPDATE
  SET title = EXCLUDED.title, price_cents = EXCLUDED.price_cents
  WHERE p.price_cents IS DISTINCT FROM EXCLUDED.price_cents
RETURNING p.product_id, (xmax = 0) AS inserted;
INSERT INTO shop.customers (email) VALUES ('a@example.com')
ON CONFLICT ON CONSTRAINT customers_email_key DO UPDATE SET updated_at = now();
INSERT INTO shop.order_items (order_id, product_id, quantity)
SELECT 42, product_id, 1 FROM shop.products WHERE sku = ANY ($1::text[]);
INSERT INTO shop.orders DEFAULT VALUES RETURNING order_id;
INSERT INTO audit.events (action, payload) OVERRIDING SYSTEM VALUE
VALUES ('import', jsonb_build_object('rows', 10, 'source', 'csv'));

UPDATE shop.products SET price_cents = price_cents * 1.1 WHERE 'sale' = ANY (tags);
UPDATE shop.orders o
SET status = 'paid', paid_at = p.received_at
FROM shop.payments p
WHERE p.order_id = o.order_id AND o.status = 'open'
RETURNING o.order_id;
UPDATE shop.products SET (title, price_cents) = (SELECT title, price_cents FROM shop.price_list l WHERE l.sku = products.sku)
WHERE EXISTS (SELECT 1 FROM shop.price_list l WHERE l.sku = products.sku);
UPDATE shop.shipments SET shipped_at = now() WHERE CURRENT OF shipments_cursor;

DELETE FROM shop.sessions WHERE expires_at < now() - interval '1 day';
DELETE FROM shop.order_items i USING shop.orders o
WHERE i.order_id = o.order_id AND o.status = 'void'
RETURNING i.*;
DELETE FROM ONLY shop.products WHERE product_id = $1;

WITH recent AS (
  SELECT customer_id, count(*) AS orders
  FROM shop.orders
  WHERE placed_at > now() - interval '30 days'
  GROUP BY customer_id
)
SELECT c.email, r.orders
FROM recent r JOIN shop.customers c USING (customer_id)
ORDER BY r.orders DESC
LIMIT 20;

WITH RECURSIVE tree AS (
  SELECT category_id, parent_id, name::text AS path, 1 AS depth
  FROM shop.categories WHERE parent_id IS NULL
  UNION ALL
  SELECT c.category_id, c.parent_id, t.path || ' > ' || c.name, t.depth + 1
  FROM shop.categories c JOIN tree t ON c.parent_id = t.category_id
) SEARCH DEPTH FIRST BY category_id SET ordercol
  CYCLE category_id SET is_cycle USING cycle_path
SELECT path FROM tree ORDER BY ordercol;

WITH moved AS MATERIALIZED (
  DELETE FROM shop.cart_items WHERE cart_id = 7 RETURNING product_id, quantity
), inserted AS (
  INSERT INTO shop.order_items (order_id, product_id, quantity)
  SELECT 99, product_id, quantity FROM moved
  RETURNING 1
)
SELECT count(*) FROM inserted;

SELECT customer_id,
       placed_at,
       total_cents,
       sum(total_cents) OVER (PARTITION BY customer_id ORDER BY placed_at
                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total,
       row_number() OVER w AS nth_order,
       lag(placed_at) OVER w AS previous_order,
       avg(total_cents) OVER (w RANGE BETWEEN interval '30 days' PRECEDING AND CURRENT ROW) AS avg_30d
FROM shop.orders
WINDOW w AS (PARTITION BY customer_id ORDER BY placed_at)
ORDER BY customer_id, placed_at;

SELECT product_id, title, rank() OVER (ORDER BY price_cents DESC) AS price_rank,
       ntile(4) OVER (ORDER BY price_cents) AS quartile,
       percent_rank() OVER (ORDER BY price_cents) AS pct,
       first_value(title) OVER (PARTITION BY discontinued ORDER BY price_cents
                                GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) AS neighbour
FROM shop.products;

SELECT date_trunc('week', placed_at) AS week,
       count(*) FILTER (WHERE status = 'paid') AS paid,
       count(*) FILTER (WHERE status = 'void') AS voided,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY total_cents) AS p95,
       string_agg(DISTINCT region, ', ' ORDER BY region) AS regions
FROM shop.orders
GROUP BY ROLLUP (date_trunc('week', placed_at))
HAVING count(*) > 10;

SELECT region, status, count(*) FROM shop.orders GROUP BY GROUPING SETS ((region, status), (region), ());
SELECT c.customer_id, last_order.placed_at
FROM shop.customers c
CROSS JOIN LATERAL (
  SELECT placed_at FROM shop.orders o WHERE o.customer_id = c.customer_id ORDER BY placed_at DESC LIMIT 1
) AS last_order;
SELECT * FROM shop.products WHERE attributes @> '{"color": "red"}' AND attributes ? 'size';
SELECT attributes -> 'dimensions' ->> 'width' AS width, attributes #>> '{dimensions,height}' AS height
FROM shop.products WHERE jsonb_path_exists(attributes, '$.dimensions ? (@.width > 10)');
SELECT title FROM shop.products WHERE search @@ websearch_to_tsquery('english', 'espresso -decaf');
SELECT * FROM shop.products ORDER BY price_cents OFFSET 40 ROWS FETCH FIRST 20 ROWS WITH TIES;
SELECT DISTINCT ON (customer_id) customer_id, order_id, placed_at FROM shop.orders ORDER BY customer_id, placed_at DESC;
SELECT * FROM shop.orders WHERE placed_at >= $1 AND placed_at < $2 AND status = ANY ($3) FOR UPDATE SKIP LOCKED;
SELECT * FROM shop.jobs WHERE run_at <= now() ORDER BY run_at LIMIT 1 FOR NO KEY UPDATE NOWAIT;
SELECT generate_series(1, 10) AS n, g.d::date FROM generate_series('2024-01-01'::date, '2024-01-10', '1 day') AS g(d);
SELECT * FROM (VALUES (1, 'one'), (2, 'two')) AS t (num, word);
SELECT CASE WHEN price_cents < 1000 THEN 'cheap' WHEN price_cents < 10000 THEN 'normal' ELSE 'premium' END FROM shop.products;
SELECT coalesce(nullif(trim(title), ''), '(none)'), greatest(price_cents, 0), least(1, 2, 3) FROM shop.products;
SELECT 'It''s' AS quoted, E'tab\there' AS escaped, U&'\0041' AS unicode, $q$dollar 'quoted'$q$ AS dollar;
SELECT x'1F'::int, B'1010'::bit(4), 1.5e10, .5, 1000000 AS million;
SELECT array_agg(order_id ORDER BY placed_at) FROM shop.orders GROUP BY customer_id;
SELECT o.* FROM shop.orders o WHERE NOT EXISTS (SELECT FROM shop.order_items i WHERE i.order_id = o.order_id);
SELECT * FROM shop.orders o FULL OUTER JOIN shop.shipments s ON s.order_id = o.order_id WHERE s.shipment_id IS NULL;
SELECT customer_id FROM shop.orders INTERSECT SELECT customer_id FROM shop.payments EXCEPT ALL SELECT customer_id FROM shop.refunds;
SELECT now() AT TIME ZONE 'Europe/Berlin', current_date + 1, age(timestamp '2024-02-29', timestamp '2023-02-28');
SELECT count(*) FROM shop.orders TABLESAMPLE SYSTEM (1) REPEATABLE (42);
SELECT pg_advisory_xact_lock(hashtext('nightly-job'));
SELECT setval(pg_get_serial_sequence('shop.products', 'product_id'), coalesce(max(product_id), 1)) FROM shop.products;

MERGE INTO shop.inventory AS inv
USING shop.stock_updates AS u ON inv.product_id = u.product_id
WHEN MATCHED AND u.quantity = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET quantity = u.quantity, updated_at = now()
WHEN NOT MATCHED THEN INSERT (product_id, quantity) VALUES (u.product_id, u.quantity);

MERGE INTO shop.customer_stats s
USING (SELECT customer_id, count(*) AS n FROM shop.orders GROUP BY customer_id) o
ON s.customer_id = o.customer_id
WHEN NOT MATCHED THEN INSERT VALUES (o.customer_id, o.n)
WHEN MATCHED THEN UPDATE SET order_count = o.n
WHEN MATCHED AND false THEN DO NOTHING;

BEGIN;
SET LOCAL lock_timeout = '2s';
LOCK TABLE shop.orders IN SHARE ROW EXCLUSIVE MODE NOWAIT;
SAVEPOINT before_fix;
UPDATE shop.orders SET status = 'open' WHERE status IS NULL;
ROLLBACK TO SAVEPOINT before_fix;
RELEASE SAVEPOINT before_fix;
COMMIT;
START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
END;
BEGIN ISOLATION LEVEL SERIALIZABLE;
ABORT;
PREPARE order_lookup (bigint) AS SELECT * FROM shop.orders WHERE order_id = $1;
EXECUTE order_lookup(42);
DEALLOCATE order_lookup;
DECLARE shipments_cursor CURSOR WITH HOLD FOR SELECT * FROM shop.shipments;
FETCH FORWARD 100 FROM shipments_cursor;
CLOSE shipments_cursor;
EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM shop.orders WHERE customer_id = 42;
EXPLAIN SELECT count(*) FROM shop.products;
LISTEN orders;
NOTIFY orders, 'order 42 paid';
UNLISTEN *;
RESET ALL;
SHOW search_path;
DISCARD ALL;
CHECKPOINT;
