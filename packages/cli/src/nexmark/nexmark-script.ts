/**
 * The SQL script the harness runs for one Nexmark query, as the reference runner assembles it:
 * the generator table (`ddl_gen.sql`) with the run's event count and rate, the three views
 * (`ddl_views.sql`), what the query needs besides (q13's side table), and the query as an INSERT
 * into a `blackhole` sink whose columns are the query's own (the reference declares them per query;
 * here they are derived from the planned query, so they cannot drift).
 * @module
 */

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NEXMARK_QUERIES, NEXMARK_VIEWS, nexmarkTableDdl } from "@weir/connector-nexmark";
import { COUNT_CHAR_DDL } from "@weir/connector-nexmark/udf";
import {
  formatLogicalType,
  type LogicalType,
  loadStatementDependencies,
  parseStatements,
  SqlSession,
} from "@weir/sql";

export interface NexmarkScriptOptions {
  readonly events: number;
  /** Events per second of event time over all generators (`first-event.rate`). */
  readonly rate: number;
  /** Where q13's side-input file is written. */
  readonly workDir: string;
}

/** q13's side input: 10,000 lines `i,i`, as the reference's SideInputGenerator writes them. */
function sideInputTable(workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  const path = join(workDir, "side_input.csv");
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) lines.push(`${i},${i}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return `CREATE TABLE side_input (
  key BIGINT,
  \`value\` VARCHAR
) WITH (
  'connector' = 'filesystem',
  'path' = '${path.replaceAll("'", "''")}',
  'format' = 'csv'
);`;
}

/** Quotes an identifier as Flink does (backquotes, doubled inside). */
function quote(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

/** The full script for `query`; throws (with the SQL position) when the query does not plan. */
export async function nexmarkScript(query: string, options: NexmarkScriptOptions): Promise<string> {
  const text = NEXMARK_QUERIES[query];
  if (text === undefined) throw new Error(`unknown Nexmark query '${query}'`);
  const setup = [
    nexmarkTableDdl({ "events.num": String(options.events), "first-event.rate": String(options.rate) }),
    NEXMARK_VIEWS,
    ...(query === "q13" ? [sideInputTable(options.workDir)] : []),
    ...(query === "q14" ? [COUNT_CHAR_DDL] : []),
  ].join("\n\n");
  // Plan the query once in a scratch session to learn its columns.
  const session = new SqlSession();
  const statements = parseStatements(`${setup}\n\n${text}`);
  for (const statement of statements) await loadStatementDependencies(statement);
  let schema = null;
  for (const statement of statements) {
    const outcome = session.execute(statement);
    if (outcome.kind === "job") schema = outcome.schema;
  }
  if (schema === null) throw new Error(`Nexmark query '${query}' is not a SELECT`);
  // A sink column is a plain timestamp: time attributes belong to the query, not to the table.
  const plain = (type: LogicalType): LogicalType =>
    type.kind === "TIMESTAMP" || type.kind === "TIMESTAMP_LTZ" ? { ...type, timeAttribute: null } : type;
  const columns = schema.fields
    .map((field) => `  ${quote(field.name)} ${formatLogicalType(plain(field.type))}`)
    .join(",\n");
  // The query's own statements (q12 creates a view first); its last one is the SELECT.
  const body = text.trim().replace(/;\s*$/, "");
  const lastStatement = body.lastIndexOf(";");
  const [prelude, select] =
    lastStatement < 0 ? ["", body] : [`${body.slice(0, lastStatement + 1)}\n`, body.slice(lastStatement + 1)];
  return `${setup}\n\n${prelude}CREATE TABLE nexmark_sink (\n${columns}\n) WITH ('connector' = 'blackhole');\n\nINSERT INTO nexmark_sink ${select.trim()};\n`;
}
