--
-- A plain-format dump in the shape pg_dump writes: data travels in COPY ... FROM stdin blocks.
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: countries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.countries (
    code character(2) NOT NULL,
    name text NOT NULL,
    currency character(3)
);

CREATE TABLE public.notes (
    note_id integer NOT NULL,
    body text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

CREATE SEQUENCE public.notes_note_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.notes_note_id_seq OWNED BY public.notes.note_id;
ALTER TABLE ONLY public.notes ALTER COLUMN note_id SET DEFAULT nextval('public.notes_note_id_seq'::regclass);

--
-- Data for Name: countries; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.countries (code, name, currency) FROM stdin;
de	Germany	EUR
fr	France	EUR
ch	Switzerland	CHF
ci	Côte d'Ivoire	XOF
jp	日本	JPY
xx	\N	\N
\.


--
-- Data for Name: notes; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.notes (note_id, body, created_at) FROM stdin;
1	a semicolon; here	2024-01-01 10:00:00+00
2	it's an unterminated quote	2024-01-01 10:01:00+00
3	/* not a comment	2024-01-01 10:02:00+00
4	$$ not a dollar quote	2024-01-01 10:03:00+00
5	-- not a comment either	2024-01-01 10:04:00+00
6	tab\there and a backslash-dot \. mid-line	2024-01-01 10:05:00+00
7	SELECT 1; DROP TABLE public.notes;	2024-01-01 10:06:00+00
\.

SELECT pg_catalog.setval('public.notes_note_id_seq', 7, true);

COPY public.notes (note_id, body, created_at) FROM stdin WITH (FORMAT csv, HEADER true);
note_id,body,created_at
8,"a quoted field, with a comma",2024-02-01 00:00:00+00
9,"a field that spans
two lines ""and quotes""",2024-02-01 00:00:01+00
\.

COPY public.countries FROM stdin;
\.
COPY public.countries (code, name) FROM STDIN (FORMAT text, DELIMITER '|'); -- trailing comment
at|Austria
be|Belgium
\.

COPY public.countries TO stdout WITH (FORMAT csv);
COPY (SELECT code FROM public.countries WHERE currency = 'EUR') TO STDOUT;
COPY public.countries FROM '/var/lib/postgresql/countries.csv' WITH (FORMAT csv);

--
-- Name: countries countries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.countries
    ADD CONSTRAINT countries_pkey PRIMARY KEY (code);

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT notes_pkey PRIMARY KEY (note_id);

CREATE INDEX notes_created_at_idx ON public.notes USING btree (created_at);

--
-- PostgreSQL database dump complete
--

