/**
 * Printing statements and scripts back to SQL: the inverse of the parser, used for round-trip
 * tests, EXPLAIN output and error reports.
 *
 * Invariant: `parseStatement(printStatement(s))` equals `s` apart from spans, and
 * `parseStatements(printStatements(list))` equals `list`. The output is one line per statement in
 * a canonical spelling (upper-case keywords, `AS` before aliases, angle-bracket types).
 * @module
 */

import type { ColumnDefinition, Insert, Statement } from "../ast/statements.ts";
import { printExpression } from "./expressions.ts";
import { printIdentifier, printIdentifierList, printQualifiedName, quoteString } from "./names.ts";
import { printHints, printQuery } from "./queries.ts";
import { printDataType } from "./types.ts";

export function printStatements(statements: readonly Statement[]): string {
  return statements.map((statement) => `${printStatement(statement)};`).join("\n");
}

export function printStatement(statement: Statement): string {
  switch (statement.kind) {
    case "query":
      return printQuery(statement);
    case "insert":
      return printInsert(statement);
    case "statement-set": {
      const inserts = statement.inserts.map((insert) => `${printInsert(insert)};`).join(" ");
      switch (statement.form) {
        case "execute":
          return `EXECUTE STATEMENT SET BEGIN ${inserts} END`;
        case "explain":
          return `STATEMENT SET BEGIN ${inserts} END`;
        case "client":
          return `BEGIN STATEMENT SET; ${inserts} END`;
      }
      break;
    }
    case "create-table": {
      const parts = ["CREATE"];
      if (statement.temporary) parts.push("TEMPORARY");
      parts.push("TABLE");
      if (statement.ifNotExists) parts.push("IF NOT EXISTS");
      parts.push(printQualifiedName(statement.name));
      const elements = statement.columns.map(printColumn);
      for (const w of statement.watermarks) {
        elements.push(
          `WATERMARK FOR ${w.column.map((c) => printIdentifier(c)).join(".")} AS ${printExpression(w.strategy)}`,
        );
      }
      const pk = statement.primaryKey;
      if (pk !== null) {
        const name = pk.name === null ? "" : `CONSTRAINT ${printIdentifier(pk.name)} `;
        const enforcement = pk.enforcement === null ? "" : ` ${pk.enforcement}`;
        elements.push(`${name}PRIMARY KEY (${printIdentifierList(pk.columns)})${enforcement}`);
      }
      if (elements.length > 0) parts.push(`(${elements.join(", ")})`);
      if (statement.comment !== null) parts.push(`COMMENT ${quoteString(statement.comment.value)}`);
      if (statement.partitionedBy.length > 0)
        parts.push(`PARTITIONED BY (${printIdentifierList(statement.partitionedBy)})`);
      if (statement.options.length > 0) {
        const options = statement.options.map(
          (o) => `${quoteString(o.key.value)} = ${quoteString(o.value.value)}`,
        );
        parts.push(`WITH (${options.join(", ")})`);
      }
      if (statement.asQuery !== null) parts.push(`AS ${printQuery(statement.asQuery)}`);
      return parts.join(" ");
    }
    case "create-view": {
      const parts = ["CREATE"];
      if (statement.temporary) parts.push("TEMPORARY");
      parts.push("VIEW");
      if (statement.ifNotExists) parts.push("IF NOT EXISTS");
      parts.push(printQualifiedName(statement.name));
      if (statement.columns.length > 0) parts.push(`(${printIdentifierList(statement.columns)})`);
      if (statement.comment !== null) parts.push(`COMMENT ${quoteString(statement.comment.value)}`);
      parts.push(`AS ${printQuery(statement.query)}`);
      return parts.join(" ");
    }
    case "create-function": {
      const parts = ["CREATE"];
      if (statement.temporary) parts.push("TEMPORARY");
      if (statement.system) parts.push("SYSTEM");
      parts.push("FUNCTION");
      if (statement.ifNotExists) parts.push("IF NOT EXISTS");
      parts.push(printQualifiedName(statement.name), "AS", quoteString(statement.identifier.value));
      if (statement.language !== null) parts.push(`LANGUAGE ${statement.language}`);
      if (statement.jars.length > 0)
        parts.push(`USING ${statement.jars.map((j) => `JAR ${quoteString(j.value)}`).join(", ")}`);
      return parts.join(" ");
    }
    case "drop": {
      const parts = ["DROP"];
      if (statement.temporary) parts.push("TEMPORARY");
      if (statement.system) parts.push("SYSTEM");
      parts.push(statement.object);
      if (statement.ifExists) parts.push("IF EXISTS");
      parts.push(printQualifiedName(statement.name));
      return parts.join(" ");
    }
    case "explain": {
      const head = statement.planFor
        ? "EXPLAIN PLAN FOR"
        : ["EXPLAIN", statement.details.join(", ")].filter((s) => s !== "").join(" ");
      return `${head} ${printStatement(statement.statement)}`;
    }
    case "set":
      return statement.option === null
        ? "SET"
        : `SET ${quoteString(statement.option.key.value)} = ${quoteString(statement.option.value.value)}`;
    case "reset":
      return statement.key === null ? "RESET" : `RESET ${quoteString(statement.key.value)}`;
    case "show": {
      let text = `SHOW ${statement.object}`;
      if (statement.from !== null) text += ` FROM ${printQualifiedName(statement.from)}`;
      if (statement.like !== null)
        text += ` ${statement.like.negated ? "NOT " : ""}LIKE ${quoteString(statement.like.pattern.value)}`;
      return text;
    }
    case "show-create":
      return `SHOW CREATE ${statement.object} ${printQualifiedName(statement.name)}`;
    case "describe":
      return `DESCRIBE ${statement.extended ? "EXTENDED " : ""}${printQualifiedName(statement.name)}`;
    case "use":
      switch (statement.object) {
        case "DATABASE":
          return `USE ${printQualifiedName(statement.names[0]!)}`;
        case "CATALOG":
          return `USE CATALOG ${printQualifiedName(statement.names[0]!)}`;
        case "MODULES":
          return `USE MODULES ${statement.names.map((n) => printQualifiedName(n)).join(", ")}`;
      }
  }
}

function printInsert(insert: Insert): string {
  const parts = [insert.overwrite ? "INSERT OVERWRITE" : "INSERT INTO", printQualifiedName(insert.target)];
  if (insert.hints.length > 0) parts.push(printHints(insert.hints));
  if (insert.partition.length > 0) {
    const items = insert.partition.map((p) => `${printIdentifier(p.column)} = ${printExpression(p.value)}`);
    parts.push(`PARTITION (${items.join(", ")})`);
  }
  if (insert.columns.length > 0) parts.push(`(${printIdentifierList(insert.columns)})`);
  parts.push(printQuery(insert.query));
  return parts.join(" ");
}

function printColumn(column: ColumnDefinition): string {
  const comment = column.comment === null ? "" : ` COMMENT ${quoteString(column.comment.value)}`;
  const name = printIdentifier(column.name);
  switch (column.kind) {
    case "physical-column":
      return `${name} ${printDataType(column.type)}${comment}`;
    case "computed-column":
      return `${name} AS ${printExpression(column.expression)}${comment}`;
    case "metadata-column": {
      const key = column.key === null ? "" : ` FROM ${quoteString(column.key.value)}`;
      return `${name} ${printDataType(column.type)} METADATA${key}${column.virtual ? " VIRTUAL" : ""}${comment}`;
    }
  }
}
