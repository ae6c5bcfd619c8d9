-- options: enable=unqualified-name
-- expect: migrate/unqualified-name=warning

CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id bigint);
CREATE INDEX CONCURRENTLY invoices_customer ON public.invoices (customer_id);
