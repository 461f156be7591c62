/**
 * Printing queries and FROM clauses back to SQL.
 *
 * Invariant: the output parses back to an equal tree (spans aside). A nested Query node is the
 * only thing printed in parentheses inside a set operation, because parentheses are exactly what
 * creates one; a join nested on the right of another join is parenthesized, which the parser reads
 * back as the same nesting.
 * @module
 */

import type { Expression } from "../ast/expressions.ts";
import type {
  GroupingElement,
  Hint,
  Query,
  QueryBody,
  Select,
  SelectItem,
  SetOperation,
  TableAlias,
  TableReference,
} from "../ast/queries.ts";
import { printExpression, printOrderItem, printWindowSpec } from "./expressions.ts";
import { printMatchRecognize } from "./match-recognize.ts";
import { printIdentifier, printIdentifierList, printQualifiedName, quoteString } from "./names.ts";

export function printQuery(query: Query): string {
  const parts: string[] = [];
  if (query.with.length > 0) {
    const ctes = query.with.map((cte) => {
      const columns = cte.columns.length > 0 ? ` (${printIdentifierList(cte.columns)})` : "";
      return `${printIdentifier(cte.name)}${columns} AS (${printQuery(cte.query)})`;
    });
    parts.push(`WITH ${ctes.join(", ")}`);
  }
  parts.push(printBody(query.body));
  if (query.orderBy.length > 0) parts.push(`ORDER BY ${query.orderBy.map(printOrderItem).join(", ")}`);
  if (query.limit !== null) parts.push(`LIMIT ${printExpression(query.limit)}`);
  if (query.offset !== null) parts.push(`OFFSET ${printExpression(query.offset)}`);
  return parts.join(" ");
}

function printBody(body: QueryBody): string {
  switch (body.kind) {
    case "query":
      return `(${printQuery(body)})`;
    case "select":
      return printSelect(body);
    case "values":
      return `VALUES ${body.rows.map(printValuesRow).join(", ")}`;
    case "set-operation": {
      // Walk the left spine of same-level operations in a loop: a generated UNION ALL of
      // thousands of branches prints without deep recursion.
      const level = (op: SetOperation["operator"]) => (op === "INTERSECT" ? 2 : 1);
      const spine: SetOperation[] = [body];
      let leftmost: QueryBody = body.left;
      while (leftmost.kind === "set-operation" && level(leftmost.operator) === level(body.operator)) {
        spine.push(leftmost);
        leftmost = leftmost.left;
      }
      let text = printBody(leftmost);
      for (let i = spine.length - 1; i >= 0; i--) {
        const node = spine[i]!;
        text += ` ${node.operator}${node.all ? " ALL" : ""} ${printBody(node.right)}`;
      }
      return text;
    }
  }
}

function printValuesRow(row: readonly Expression[]): string {
  if (row.length === 0) return "ROW()";
  return `(${row.map(printExpression).join(", ")})`;
}

function printSelect(select: Select): string {
  const parts = ["SELECT"];
  if (select.hints.length > 0) parts.push(printHints(select.hints));
  if (select.distinct) parts.push("DISTINCT");
  parts.push(select.items.map(printSelectItem).join(", "));
  if (select.from !== null) parts.push(`FROM ${printTableReference(select.from)}`);
  if (select.where !== null) parts.push(`WHERE ${printExpression(select.where)}`);
  if (select.groupBy.length > 0)
    parts.push(`GROUP BY ${select.groupBy.map(printGroupingElement).join(", ")}`);
  if (select.having !== null) parts.push(`HAVING ${printExpression(select.having)}`);
  if (select.windows.length > 0) {
    const windows = select.windows.map((w) => `${printIdentifier(w.name)} AS ${printWindowSpec(w.spec)}`);
    parts.push(`WINDOW ${windows.join(", ")}`);
  }
  if (select.qualify !== null) parts.push(`QUALIFY ${printExpression(select.qualify)}`);
  return parts.join(" ");
}

function printSelectItem(item: SelectItem): string {
  if (item.kind === "select-star") {
    return item.qualifier.length === 0 ? "*" : `${item.qualifier.map((q) => printIdentifier(q)).join(".")}.*`;
  }
  const text = printExpression(item.expression);
  return item.alias === null ? text : `${text} AS ${printIdentifier(item.alias)}`;
}

function printGroupingElement(element: GroupingElement): string {
  switch (element.kind) {
    case "grouping-sets":
      return `GROUPING SETS (${element.sets.map(printGroupingElement).join(", ")})`;
    case "rollup":
    case "cube":
      return `${element.kind.toUpperCase()} (${element.items.map(printExpression).join(", ")})`;
    case "empty-grouping-set":
      return "()";
    default:
      return printExpression(element);
  }
}

export function printHints(hints: readonly Hint[]): string {
  const items = hints.map((hint) => {
    const name = printIdentifier(hint.name);
    return hint.args.length === 0 ? name : `${name}(${hint.args.map(printHintArgument).join(", ")})`;
  });
  return `/*+ ${items.join(", ")} */`;
}

function printHintArgument(arg: Hint["args"][number]): string {
  switch (arg.kind) {
    case "key-value":
      return `${quoteString(arg.key.value)} = ${quoteString(arg.value.value)}`;
    case "identifier":
      return printIdentifier(arg);
    case "string-literal":
      return quoteString(arg.value);
    case "number-literal":
      return arg.text;
  }
}

function printAlias(alias: TableAlias | null): string {
  if (alias === null) return "";
  const columns = alias.columns.length > 0 ? ` (${printIdentifierList(alias.columns)})` : "";
  return ` AS ${printIdentifier(alias.name)}${columns}`;
}

export function printTableReference(ref: TableReference): string {
  switch (ref.kind) {
    case "table-name": {
      let text = printQualifiedName(ref.name);
      if (ref.hints.length > 0) text += ` ${printHints(ref.hints)}`;
      if (ref.systemTime !== null) text += ` FOR SYSTEM_TIME AS OF ${printExpression(ref.systemTime)}`;
      return text + printAlias(ref.alias);
    }
    case "derived-table":
      return `${ref.lateral ? "LATERAL " : ""}(${printQuery(ref.query)})${printAlias(ref.alias)}`;
    case "table-function":
      return `${ref.lateral ? "LATERAL " : ""}TABLE(${printExpression(ref.call)})${printAlias(ref.alias)}`;
    case "unnest": {
      const ordinality = ref.withOrdinality ? " WITH ORDINALITY" : "";
      return `UNNEST(${ref.args.map(printExpression).join(", ")})${ordinality}${printAlias(ref.alias)}`;
    }
    case "match-recognize":
      return `${printTableReference(ref.input)} ${printMatchRecognize(ref)}${printAlias(ref.alias)}`;
    case "join": {
      const left = printTableReference(ref.left);
      const right =
        ref.right.kind === "join" ? `(${printTableReference(ref.right)})` : printTableReference(ref.right);
      if (ref.type === "COMMA") return `${left}, ${right}`;
      const keyword = `${ref.natural ? "NATURAL " : ""}${ref.type} JOIN`;
      let text = `${left} ${keyword} ${right}`;
      if (ref.condition?.kind === "on") text += ` ON ${printExpression(ref.condition.condition)}`;
      else if (ref.condition?.kind === "using")
        text += ` USING (${printIdentifierList(ref.condition.columns)})`;
      return text;
    }
  }
}
