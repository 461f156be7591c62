/**
 * Regular-expression functions: REGEXP, REGEXP_REPLACE, REGEXP_EXTRACT, REGEXP_EXTRACT_ALL,
 * REGEXP_COUNT, REGEXP_INSTR, REGEXP_SUBSTR.
 *
 * Invariants: patterns are Java regular expressions as Flink takes them, run by JavaScript's
 * engine (the common syntax agrees: classes, groups, quantifiers, `$1` in replacements); an
 * invalid pattern yields NULL, as Flink returns null when `Pattern.compile` fails. REGEXP is a
 * partial match (`find`), REGEXP_EXTRACT's index 0 is the whole match and 1 (default) the first
 * group. Example: `REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2)` = 'bar'.
 * @module
 */

import type { SqlValue } from "../data/values.ts";
import { LogicalTypes } from "../types/type-factory.ts";
import type { FunctionContext, ScalarFunctionDefinition } from "./function-definition.ts";
import { scalar } from "./signature.ts";

/** Java-only syntax mapped to JavaScript: possessive quantifiers and atomic groups are dropped, `\\Q…\\E` quoted. */
function toJavaScriptSource(pattern: string): string {
  return pattern
    .replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, quoted: string) =>
      quoted.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"),
    )
    .replace(/([*+?}])\+/g, "$1")
    .replace(/\(\?>/g, "(?:");
}

/** Java's leading inline flags `(?i)`, `(?s)`, `(?m)` become JavaScript flags; `(?x)` / `(?u)` are dropped. */
function leadingFlags(pattern: string): { source: string; flags: string } {
  const match = /^\(\?([imsxuU]+)\)/.exec(pattern);
  if (match === null) return { source: pattern, flags: "" };
  const flags = [...new Set(match[1]!.replace(/[xuU]/g, ""))].join("");
  return { source: pattern.slice(match[0].length), flags };
}

/** One cache per call site: rows usually share the same literal pattern. */
function regexpCache(flags: string): (pattern: string) => RegExp | null {
  const cache = new Map<string, RegExp | null>();
  return (pattern) => {
    let regexp = cache.get(pattern);
    if (regexp === undefined) {
      try {
        const inline = leadingFlags(pattern);
        regexp = new RegExp(toJavaScriptSource(inline.source), flags + inline.flags);
      } catch {
        regexp = null;
      }
      if (cache.size > 256) cache.clear();
      cache.set(pattern, regexp);
    }
    if (regexp !== null) regexp.lastIndex = 0;
    return regexp;
  };
}

type Impl = (context: FunctionContext, ...operands: SqlValue[]) => SqlValue;

function perCallSite(make: () => Impl): Pick<ScalarFunctionDefinition, "implementation" | "specialize"> {
  return { implementation: make(), specialize: () => make() };
}

function withSpecialize(definition: ScalarFunctionDefinition, make: () => Impl): ScalarFunctionDefinition {
  return { ...definition, ...perCallSite(make) };
}

const regexpFind = (): Impl => {
  const compile = regexpCache("u");
  return (_c, s, pattern) => {
    const regexp = compile(pattern as string);
    return regexp === null ? null : regexp.test(s as string);
  };
};

const regexpReplace = (): Impl => {
  const compile = regexpCache("gu");
  return (_c, s, pattern, replacement) => {
    const regexp = compile(pattern as string);
    return regexp === null
      ? null
      : (s as string).replace(regexp, (replacement as string).replace(/\\\$/g, "$$$$"));
  };
};

const regexpExtract = (): Impl => {
  const compile = regexpCache("u");
  return (_c, s, pattern, index) => {
    const regexp = compile(pattern as string);
    if (regexp === null) return null;
    const match = regexp.exec(s as string);
    const group = (index as number | undefined) ?? 1;
    if (match === null || group < 0 || group >= match.length) return null;
    return match[group] ?? null;
  };
};

const regexpExtractAll = (): Impl => {
  const compile = regexpCache("gu");
  return (_c, s, pattern, index) => {
    const regexp = compile(pattern as string);
    if (regexp === null) return null;
    const group = (index as number | undefined) ?? 1;
    const result: SqlValue[] = [];
    for (const match of (s as string).matchAll(regexp)) {
      if (group >= match.length) return null;
      result.push(match[group] ?? null);
    }
    return result;
  };
};

const regexpCount = (): Impl => {
  const compile = regexpCache("gu");
  return (_c, s, pattern) => {
    const regexp = compile(pattern as string);
    if (regexp === null) return null;
    let count = 0;
    for (const _ of (s as string).matchAll(regexp)) count++;
    return count;
  };
};

const regexpInstr = (): Impl => {
  const compile = regexpCache("u");
  return (_c, s, pattern) => {
    const regexp = compile(pattern as string);
    if (regexp === null) return null;
    const match = regexp.exec(s as string);
    return match === null ? 0 : match.index + 1;
  };
};

const regexpSubstr = (): Impl => {
  const compile = regexpCache("u");
  return (_c, s, pattern) => {
    const regexp = compile(pattern as string);
    if (regexp === null) return null;
    return regexp.exec(s as string)?.[0] ?? null;
  };
};

const NULLABLE_STRING = () => LogicalTypes.string(true);

export const REGEXP_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  withSpecialize(
    scalar("REGEXP", [["STRING", "STRING"]], () => LogicalTypes.boolean(true), regexpFind()),
    regexpFind,
  ),
  withSpecialize(
    scalar("REGEXP_REPLACE", [["STRING", "STRING", "STRING"]], NULLABLE_STRING, regexpReplace()),
    regexpReplace,
  ),
  withSpecialize(
    scalar("REGEXP_EXTRACT", [["STRING", "STRING", "INT?"]], NULLABLE_STRING, regexpExtract()),
    regexpExtract,
  ),
  withSpecialize(
    scalar(
      "REGEXP_EXTRACT_ALL",
      [["STRING", "STRING", "INT?"]],
      () => LogicalTypes.array(LogicalTypes.string(), true),
      regexpExtractAll(),
    ),
    regexpExtractAll,
  ),
  withSpecialize(
    scalar("REGEXP_COUNT", [["STRING", "STRING"]], () => LogicalTypes.int(true), regexpCount()),
    regexpCount,
  ),
  withSpecialize(
    scalar("REGEXP_INSTR", [["STRING", "STRING"]], () => LogicalTypes.int(true), regexpInstr()),
    regexpInstr,
  ),
  withSpecialize(
    scalar("REGEXP_SUBSTR", [["STRING", "STRING"]], NULLABLE_STRING, regexpSubstr()),
    regexpSubstr,
  ),
];
