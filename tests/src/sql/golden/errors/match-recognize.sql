-- MATCH_RECOGNIZE shapes Flink refuses, with Flink's messages (StreamExecMatch's checks and its CEP
-- pattern translation): ORDER BY without a leading ascending time attribute, ALL ROWS PER MATCH,
-- greedy quantifiers at the end, groups, alternations, PERMUTE, reluctant optionals, patterns that
-- can match nothing, repeated variables, NEXT (not in Flink's function table), an unknown
-- variable, and updating inputs. Positions are worked out by hand.
-- modes: streaming
CREATE TABLE ticker (symbol STRING, price DOUBLE, rowtime TIMESTAMP(3),
  WATERMARK FOR rowtime AS rowtime - INTERVAL '5' SECOND) WITH (
  'connector' = 'filesystem', 'path' = '${data}/../match/data/ticker.jsonl', 'format' = 'json');

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY price MEASURES A.price AS p PATTERN (A B) DEFINE A AS A.price > 1);
-- expect error: line 11, column 48: You must specify either rowtime or proctime for order by as the first one.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime DESC MEASURES A.price AS p PATTERN (A B) DEFINE A AS A.price > 1);
-- expect error: line 14, column 48: Primary sort order of a streaming table must be ascending on time.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p ALL ROWS PER MATCH PATTERN (A B) DEFINE A AS A.price > 1);
-- expect error: All rows per match mode is not supported yet.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A B+) DEFINE A AS A.price > 1);
-- expect error: line 20, column 87: Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a simple variable or reluctant quantifier.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A (B C)+? D) DEFINE A AS A.price > 1);
-- expect error: Group patterns are not supported yet.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A | B) DEFINE A AS A.price > 1);
-- expect error: Currently, CEP doesn't support branching patterns.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (PERMUTE(A, B)) DEFINE A AS A.price > 1);
-- expect error: Currently, CEP doesn't support PERMUTE patterns.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A B?? C) DEFINE A AS A.price > 1);
-- expect error: Reluctant optional variables are not supported yet.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A? B*?) DEFINE A AS A.price > 1);
-- expect error: Patterns that can produce empty matches are not supported. There must be at least one non-optional state.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A B A) DEFINE A AS A.price > 1);
-- expect error: Pattern variables must be unique. That might change in the future.

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A B) DEFINE A AS NEXT(A.price) > 1);
-- expect error: line 41, column 104: No match found for function signature NEXT

SELECT * FROM ticker MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.price AS p PATTERN (A B) DEFINE A AS A.price > 1 AND C.price > 1);
-- expect error: line 44, column 120: Table 'C' not found

SELECT * FROM (SELECT symbol, MAX(rowtime) AS rowtime FROM ticker GROUP BY symbol)
  MATCH_RECOGNIZE (ORDER BY rowtime MEASURES A.symbol AS s PATTERN (A B) DEFINE A AS A.symbol = 'x');
-- expect error: StreamPhysicalMatch doesn't support consuming update changes which is produced by node GroupAggregate

SELECT * FROM (SELECT t.symbol, t.price, t.rowtime FROM ticker t JOIN (SELECT symbol, COUNT(*) AS c FROM ticker GROUP BY symbol) g ON t.symbol = g.symbol)
  MATCH_RECOGNIZE (PARTITION BY symbol ORDER BY rowtime MEASURES A.price AS p PATTERN (A B) DEFINE A AS A.price > 1);
-- expect error: StreamPhysicalMatch doesn't support consuming update and delete changes which is produced by node
