/* Lexical corner cases: comments, quoting, multibyte text and several statements per line.
   /* Comments nest in PostgreSQL; this inner one ends here: */
   so this line is still inside the outer comment; and so is this semicolon. */

-- A line comment with a semicolon; it does not end anything.
SELECT 1;   SELECT 2; /* between */ SELECT 3;
SELECT 'naïve café' AS word; SELECT 'après' AS later;
SELECT '日本語のテキスト' AS japanese; SELECT 'emoji 🎉 party' AS emoji; SELECT 4;
SELECT "quoted; identifier" FROM "Mixed Case Table";
CREATE TABLE "Ünïcödé tàblé" ("naïve column" text, "日付" date);
INSERT INTO "Ünïcödé tàblé" VALUES ('crème brûlée', '2024-05-01');
SELECT E'escaped \' quote; still a string' AS e, 'doubled '' quote; also a string' AS d;
SELECT $$dollar ; quoted$$, $a$nested $$ inside ; $a$, $_x1$tag with underscore$_x1$;
SELECT 1 -- trailing comment; with a semicolon
;
SELECT /* inline /* nested */ comment */ 5;
	SELECT	6	;
SELECT 'multi-line
string; with a semicolon
' AS multi;
CREATE RULE orders_log AS ON INSERT TO shop.orders DO ALSO (
  INSERT INTO audit.events (action) VALUES ('order');
  NOTIFY orders
);
CREATE RULE no_delete AS ON DELETE TO shop.products DO INSTEAD NOTHING;
SELECT U&"d\0061t\+000061" FROM shop.products;
SELECT 'a' || 'b' /* comment right before the semicolon */ ;
SELECT e'\x41\u00e9' AS hex_and_unicode_escapes;
-- Comments only between statements:
/* one */ /* two */ -- three
-- four
SELECT 7 /* the last statement has no semicolon */
