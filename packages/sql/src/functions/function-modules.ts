/**
 * User-defined functions from TypeScript modules, for `CREATE [TEMPORARY] FUNCTION name AS
 * 'module#export' LANGUAGE TYPESCRIPT`: the identifier names a module (a package specifier such as
 * `@acme/udfs`, or a file path, absolute or relative to the working directory) and the export that
 * holds a definition made by `scalarFunction`, `aggregateFunction` or `tableFunction`.
 *
 * Why a registry: importing is asynchronous, but planning is synchronous and must give the same
 * result in every worker. So clients (the script runner, the SQL job module) load the modules a
 * script names before planning, and the session takes them from here, as it does with connectors.
 *
 * Worked example:
 * ```sql
 * CREATE TEMPORARY FUNCTION count_char AS '@weir/connector-nexmark/udf#countChar' LANGUAGE TYPESCRIPT;
 * SELECT count_char(extra, 'c') FROM bid;
 * ```
 * @module
 */

import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Statement } from "../ast/statements.ts";
import type { FunctionDefinition } from "./function-definition.ts";

/** Languages a Weir function can be written in; Flink's JAVA, SCALA and PYTHON cannot run here. */
export const FUNCTION_LANGUAGES = ["TYPESCRIPT", "JAVASCRIPT"] as const;

const loaded = new Map<string, FunctionDefinition>();
const failures = new Map<string, string>();

/** `module#export` split; the export defaults to `default`. */
function parseIdentifier(identifier: string): { readonly module: string; readonly exportName: string } {
  const hash = identifier.lastIndexOf("#");
  const module = hash < 0 ? identifier : identifier.slice(0, hash);
  const exportName = hash < 0 ? "default" : identifier.slice(hash + 1);
  if (module.length === 0 || exportName.length === 0) {
    throw new Error(`the function identifier '${identifier}' must look like 'module#export'`);
  }
  return { module, exportName };
}

function specifierOf(module: string): string {
  const isPath = module.startsWith(".") || module.startsWith("/") || isAbsolute(module);
  return isPath ? pathToFileURL(resolve(module)).href : module;
}

function isDefinition(value: unknown): value is FunctionDefinition {
  const kind = (value as { kind?: unknown } | null)?.kind;
  return (
    typeof value === "object" &&
    value !== null &&
    (kind === "scalar" || kind === "aggregate" || kind === "table")
  );
}

/** Imports every module named by `identifiers`; failures are kept and reported when used. */
export async function loadFunctionModules(identifiers: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(identifiers)]
      .filter((identifier) => !loaded.has(identifier))
      .map(async (identifier) => {
        try {
          const { module, exportName } = parseIdentifier(identifier);
          const namespace = (await import(specifierOf(module))) as Record<string, unknown>;
          const value = namespace[exportName];
          if (!isDefinition(value)) {
            throw new Error(
              `export '${exportName}' of '${module}' is not a function definition (make it with scalarFunction, aggregateFunction or tableFunction from @weir/sql)`,
            );
          }
          loaded.set(identifier, value);
          failures.delete(identifier);
        } catch (error) {
          failures.set(identifier, error instanceof Error ? error.message : String(error));
        }
      }),
  );
}

/** The definition behind `identifier`; throws with the reason when it was not (or could not be) loaded. */
export function loadedFunction(identifier: string): FunctionDefinition {
  const definition = loaded.get(identifier);
  if (definition !== undefined) return definition;
  const reason = failures.get(identifier);
  throw new Error(
    reason === undefined
      ? `the function module '${identifier}' was not loaded (call loadFunctionModules before planning)`
      : `cannot load the function '${identifier}': ${reason}`,
  );
}

/** The identifiers of TypeScript functions a statement creates (for loading before planning). */
export function functionIdentifiersOf(statement: Statement): string[] {
  if (statement.kind !== "create-function") return [];
  const language = statement.language ?? "TYPESCRIPT";
  return (FUNCTION_LANGUAGES as readonly string[]).includes(language) ? [statement.identifier.value] : [];
}
