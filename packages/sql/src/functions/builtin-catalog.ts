/**
 * The function catalog: every built-in function and operator by its canonical name, plus the
 * session's user-defined functions, which shadow built-ins of the same name.
 *
 * Invariants: lookups are case-insensitive (`upper`, `UPPER` and `Upper` are one function); each
 * name maps to one definition, which dispatches on its operands itself (FLOOR(x) vs FLOOR(ts, 'DAY')).
 * Conventions the validator follows when it builds calls (see plan/rex.ts): operators under their
 * SQL spelling (`=`, `+`, `||`, `IS NULL`, `IS NOT DISTINCT FROM`, `LIKE`, `IN` with the operand
 * first, `BETWEEN` as (value, low, high), `CASE` as [cond, result]… else); unary minus is `NEGATE`;
 * time units are STRING literal operands (`EXTRACT('DAY', d)`, `FLOOR(ts, 'HOUR')`,
 * `TIMESTAMPADD('MINUTE', n, ts)`, `TIMESTAMPDIFF('DAY', a, b)`); `TRIM(side, chars, s)` with side
 * 'BOTH' | 'LEADING' | 'TRAILING'; `FIELD(row, 'name')`; `COUNT(*)` is COUNT with no operands.
 * Example: `createFunctionCatalog().lookup("substring")?.name` is `"SUBSTRING"`.
 * @module
 */

import { AVG, COUNT, SUM, SUM0 } from "./aggregate-count-sum-avg.ts";
import { JSON_ARRAYAGG, JSON_OBJECTAGG } from "./aggregate-json.ts";
import { MAX, MIN } from "./aggregate-min-max.ts";
import { STATISTICAL_AGGREGATES } from "./aggregate-statistics.ts";
import { COLLECT, FIRST_VALUE, LAST_VALUE, LISTAGG } from "./aggregate-value-lists.ts";
import { ARITHMETIC_FUNCTIONS } from "./arithmetic-functions.ts";
import { COLLECTION_FUNCTIONS } from "./collection-functions.ts";
import { COMPARISON_FUNCTIONS } from "./comparison-functions.ts";
import { CONDITIONAL_FUNCTIONS } from "./conditional-functions.ts";
import type { FunctionCatalog, FunctionDefinition } from "./function-definition.ts";
import { JSON_FUNCTIONS } from "./json-functions.ts";
import { LOGICAL_FUNCTIONS } from "./logical-functions.ts";
import { MATH_FUNCTIONS } from "./math-functions.ts";
import { MISC_FUNCTIONS } from "./misc-functions.ts";
import { REGEXP_FUNCTIONS } from "./regexp-functions.ts";
import { STRING_FUNCTIONS } from "./string-functions.ts";
import { temporalFunctions } from "./temporal-functions.ts";

let builtins: ReadonlyMap<string, FunctionDefinition> | null = null;

/** Every built-in definition by upper-case name (built once, shared: definitions are immutable). */
export function builtinFunctions(): ReadonlyMap<string, FunctionDefinition> {
  if (builtins !== null) return builtins;
  const map = new Map<string, FunctionDefinition>();
  const all: readonly FunctionDefinition[] = [
    ...COMPARISON_FUNCTIONS,
    ...LOGICAL_FUNCTIONS,
    ...ARITHMETIC_FUNCTIONS,
    ...MATH_FUNCTIONS,
    ...STRING_FUNCTIONS,
    ...REGEXP_FUNCTIONS,
    ...temporalFunctions(),
    ...CONDITIONAL_FUNCTIONS,
    ...JSON_FUNCTIONS,
    ...COLLECTION_FUNCTIONS,
    ...MISC_FUNCTIONS,
    COUNT as FunctionDefinition,
    SUM as FunctionDefinition,
    SUM0 as FunctionDefinition,
    AVG as FunctionDefinition,
    MIN,
    MAX,
    FIRST_VALUE,
    LAST_VALUE,
    LISTAGG as FunctionDefinition,
    COLLECT as FunctionDefinition,
    ...STATISTICAL_AGGREGATES,
    JSON_ARRAYAGG as FunctionDefinition,
    JSON_OBJECTAGG as FunctionDefinition,
  ];
  for (const definition of all) {
    if (map.has(definition.name)) throw new Error(`built-in function ${definition.name} is defined twice`);
    map.set(definition.name, definition);
  }
  map.set("$SUM0", SUM0 as FunctionDefinition);
  builtins = map;
  return map;
}

/**
 * A catalog of the built-ins plus `user` functions (keys are the SQL names; they shadow
 * built-ins case-insensitively).
 */
export function createFunctionCatalog(
  user: Readonly<Record<string, FunctionDefinition>> = {},
): FunctionCatalog {
  const base = builtinFunctions();
  const own = new Map<string, FunctionDefinition>();
  for (const [name, definition] of Object.entries(user)) {
    const upper = name.toUpperCase();
    // The registered name wins, so calls (which carry the definition's name) find it again.
    own.set(upper, definition.name === upper ? definition : { ...definition, name: upper });
  }
  return {
    lookup(name: string): FunctionDefinition | undefined {
      const upper = name.toUpperCase();
      return own.get(upper) ?? base.get(upper);
    },
  };
}
