import assert from "node:assert/strict";
import { test } from "node:test";
import { SqlValidationError } from "../planner/sql-validation-error.ts";
import { planClusterScript } from "./cluster-script.ts";

const DDL = `CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '5');
CREATE TABLE a (id BIGINT) WITH ('connector' = 'blackhole');
CREATE TABLE b (id BIGINT) WITH ('connector' = 'blackhole');
`;

test("several INSERTs become one statement set; the job is named after its targets or pipeline.name", async () => {
  const script = `${DDL}INSERT INTO a SELECT id FROM src;\nSET 'x' = 'y';\nINSERT INTO b SELECT id FROM src;`;
  const job = await planClusterScript(script);
  assert.deepEqual(job.params, { script, statementIndex: 5, config: {}, statementSet: [3, 5] });
  assert.equal(
    job.jobName,
    "insert-into_default_catalog.default_database.a,default_catalog.default_database.b",
  );
  assert.match(job.moduleUrl, /\/job\/sql-job\.ts$/);

  const single = await planClusterScript(
    `SET 'pipeline.name' = 'copy';\n${DDL}INSERT INTO a SELECT id FROM src`,
  );
  assert.deepEqual(single.params.statementSet, undefined);
  assert.equal(single.params.statementIndex, 4);
  assert.equal(single.jobName, "copy");

  const set = await planClusterScript(
    `${DDL}EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT id FROM src; INSERT INTO b SELECT id FROM src; END;`,
  );
  assert.equal(set.params.statementIndex, 3);
  assert.equal(set.params.statementSet, undefined);
});

test("what a cluster job cannot run is refused at its line and column", async () => {
  const refused = async (script: string, pattern: RegExp) =>
    assert.rejects(planClusterScript(script), (error: unknown) => {
      assert.ok(error instanceof Error && "line" in error, String(error));
      assert.match(error.message, pattern);
      return true;
    });
  await refused(`${DDL}SELECT id FROM src`, /^line 4, column 1: a SELECT cannot be submitted to a cluster/);
  await refused(
    `${DDL}SHOW TABLES;\nINSERT INTO a SELECT id FROM src`,
    /^line 4, column 1: .*not a SHOW statement$/,
  );
  await refused(DDL, /^line 1, column 1: the script has no INSERT statement/);
  await refused(`${DDL}INSERT INTO a SELECT idd FROM src`, /^line 4, column 22: .*idd/);
  await refused(`${DDL}INSERT INTO a SELEC id FROM src`, /^line 4, column 15: /);
  await refused(`${DDL}INSERT INTO missing SELECT id FROM src`, /^line 4, column 13: .*missing/);
  await refused(
    `${DDL}CREATE TABLE c WITH ('connector' = 'blackhole') AS SELECT id FROM src;\nINSERT INTO a SELECT id FROM src`,
    /^line 4, column 1: CREATE TABLE … AS SELECT cannot run in one job with other INSERTs/,
  );
  await assert.rejects(planClusterScript(`${DDL}SELECT 1`), SqlValidationError);
});
