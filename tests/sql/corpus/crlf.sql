-- A migration saved on Windows: every line ends with CR LF.
/* Its statements must be located exactly like those of an LF file. */

CREATE SCHEMA IF NOT EXISTS crm;

CREATE TABLE crm.contacts (
  contact_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  full_name  text NOT NULL,
  city       text,
  notes      text
);

CREATE INDEX contacts_city_idx ON crm.contacts (city);

CREATE FUNCTION crm.normalize_name(name text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  -- collapse runs of spaces; CR LF inside the body is part of the string
  RETURN regexp_replace(trim(name), '\s+', ' ', 'g');
END;
$$;

INSERT INTO crm.contacts (full_name, city) VALUES ('Zoë Müller', 'Zürich'), ('Søren Ødegård', 'Tromsø');

COPY crm.contacts (full_name, city, notes) FROM stdin;
Ana Lima	São Paulo	met at the conference
Li Wei	北京	\N
\.

DO $$
BEGIN
  RAISE NOTICE 'contacts: %', (SELECT count(*) FROM crm.contacts);
END
$$;

UPDATE crm.contacts SET full_name = crm.normalize_name(full_name);
  ALTER TABLE crm.contacts ADD COLUMN email text;
SELECT 1; SELECT 2;
COMMENT ON TABLE crm.contacts IS 'People we talk to; imported from the old CRM';
DELETE FROM crm.contacts WHERE full_name = '';
DROP INDEX IF EXISTS crm.contacts_city_idx;
