/**
 * A SQL script as the client runs it: statements parsed one after another, so that the statements
 * before a syntax error still run (as in Flink's SQL client), and the facts the runner needs
 * about each statement without planning it.
 *
 * Invariant: `parseScriptPrefix(sql).statements` are exactly the statements `parseStatements(sql)`
 * returns when the script has no syntax error, in the same order, so a statement index means the
 * same statement to the client and to every worker replaying the script.
 * @module
 */

import type { Statement } from "../ast/statements.ts";
import { loadTableConnectors } from "../connectors/connector-registry.ts";
import { SqlSyntaxError } from "../errors.ts";
import { functionIdentifiersOf, loadFunctionModules } from "../functions/function-modules.ts";
import { tokenize } from "../lexer/lexer.ts";
import { TokenCursor } from "../parser/cursor.ts";
import { parseStatement } from "../parser/statements.ts";

export interface ParsedScript {
  /** The statements before the first syntax error (all of them when there is none). */
  readonly statements: readonly Statement[];
  /** The first syntax error, or null. */
  readonly error: SqlSyntaxError | null;
}

/** Parses statements separated by `;` until the end or the first syntax error. */
export function parseScriptPrefix(sql: string): ParsedScript {
  const statements: Statement[] = [];
  try {
    const c = new TokenCursor(sql, tokenize(sql));
    for (;;) {
      while (c.isSymbol(";")) c.advance();
      if (c.atEnd) break;
      statements.push(parseStatement(c));
      if (c.atEnd) break;
      if (!c.isSymbol(";")) {
        c.expecting("';'");
        c.expecting("end of input");
        c.fail();
      }
    }
  } catch (error) {
    if (error instanceof SqlSyntaxError) return { statements, error };
    throw error;
  }
  return { statements, error: null };
}

/** SELECT / VALUES, INSERT and statement sets run as jobs; everything else changes or reads the session. */
export function isJobStatement(statement: Statement): boolean {
  return statement.kind === "query" || statement.kind === "insert" || statement.kind === "statement-set";
}

/** Statements a worker must replay to rebuild the session: those that change it. */
export function changesSession(statement: Statement): boolean {
  switch (statement.kind) {
    case "create-table":
    case "create-view":
    case "create-function":
    case "drop":
    case "set":
    case "reset":
    case "use":
      return true;
    default:
      return false;
  }
}

/**
 * Loads what planning `statement` needs and cannot load synchronously: the connector of a CREATE
 * TABLE and the module of a CREATE FUNCTION … LANGUAGE TYPESCRIPT. Clients call it before
 * `execute` / `translate` of every statement, in every thread.
 */
export async function loadStatementDependencies(statement: Statement): Promise<void> {
  await Promise.all([
    loadTableConnectors(connectorIdentifiersOf(statement)),
    loadFunctionModules(functionIdentifiersOf(statement)),
  ]);
}

/** The `'connector'` of a CREATE TABLE, which must be loaded before the table is used. */
export function connectorIdentifiersOf(statement: Statement): string[] {
  if (statement.kind !== "create-table") return [];
  const option = statement.options.find((o) => o.key.value === "connector");
  return option === undefined ? [] : [option.value.value];
}
