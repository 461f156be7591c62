-- Syntax errors: the parser reports the line and column of the offending token and what it
-- expected there ("expected … but found …", the wording of Weir's parser, packages/sql/src/errors.ts).
-- Positions worked out by hand.
SELECT a, FROM t;
-- expect error: line 4, column 11: but found 'FROM'

SELECT (1 + 2 FROM t;
-- expect error: line 7, column 15: but found 'FROM'

CREATE TABLE x (a INT) WITH ('connector');
-- expect error: line 10, column 41: expected '='

SELECT * FROM t WHERE
  a = = 1;
-- expect error: line 14, column 7: expected expression

SELEC 1;
-- expect error: line 17, column 1: SELEC

SELECT CASE WHEN 1 = 1 THEN 'a' FROM t;
-- expect error: line 20, column 33: expected 'END'
