CREATE TABLE t (a int, b text);
COPY t (a, b) FROM stdin;
1	it's; /* not SQL
2	$$ nor this
\.
INSERT INTO t VALUES (3, 'three');
INSERT INTO t VALUES (4 'four');
