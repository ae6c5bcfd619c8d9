-- expect: migrate/identifier-too-long

CREATE INDEX CONCURRENTLY orders_customer_id_created_at_status_total_amount_shipping_country_idx ON orders (customer_id, created_at);
