-- options: enable=unqualified-name
-- expect-none: migrate/unqualified-name

CREATE TABLE billing.invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint);
CREATE TEMP TABLE scratch (id bigint);
WITH recent AS (SELECT id FROM billing.invoices ORDER BY id DESC LIMIT 10)
UPDATE billing.invoices SET customer_id = NULL WHERE id IN (SELECT id FROM recent);
DROP TYPE IF EXISTS billing.invoice_state;
CREATE FUNCTION billing.total() RETURNS bigint LANGUAGE sql AS 'SELECT 1';
