/**
 * The shape of `runSqlScript` from `weir/sql-runner` (agreed in the SQL effort's contracts), and a
 * loader that imports it. An engine that does not load fails the suite that needs it, with the
 * import error: no case is reported as anything but a failure when it cannot run.
 *
 * Speed: every SQL job starts worker threads that load the engine's modules again; the loader turns
 * on Node's on-disk compile cache first (also for those workers, through the environment they
 * inherit), which roughly halves the CPU each job costs.
 * @module
 */

import { enableCompileCache } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type ScriptStatementResult =
  | {
      readonly kind: "select";
      readonly line: number;
      readonly columns: string[];
      readonly rows: Record<string, unknown>[];
    }
  | { readonly kind: "ok"; readonly line: number; readonly message: string }
  | { readonly kind: "table"; readonly line: number; readonly columns: string[]; readonly rows: string[][] }
  | { readonly kind: "insert"; readonly line: number };

export interface ScriptRunResult {
  readonly results: ScriptStatementResult[];
}

export interface RunSqlScriptOptions {
  readonly parallelism?: number;
  readonly config?: Record<string, string>;
  readonly signal?: AbortSignal;
}

export type RunSqlScript = (script: string, options?: RunSqlScriptOptions) => Promise<ScriptRunResult>;

/** What `SqlScriptError` carries: the failing statement's position and index. */
export interface ScriptErrorFields {
  readonly message: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly statementIndex: number | null;
}

/** Reads the agreed fields of a thrown `SqlScriptError`; other errors get null positions. */
export function scriptErrorFields(error: unknown): ScriptErrorFields {
  if (!(error instanceof Error)) {
    return { message: String(error), line: null, column: null, statementIndex: null };
  }
  const fields = error as Error & { line?: unknown; column?: unknown; statementIndex?: unknown };
  const num = (value: unknown): number | null => (typeof value === "number" ? value : null);
  return {
    message: error.message,
    line: num(fields.line),
    column: num(fields.column),
    statementIndex: num(fields.statementIndex),
  };
}

/** The engine's entry point; throws, naming the cause, when it cannot be loaded. */
export async function loadRunSqlScript(): Promise<RunSqlScript> {
  const cacheDir = process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), "weir-node-compile-cache");
  process.env.NODE_COMPILE_CACHE = cacheDir;
  enableCompileCache(cacheDir);
  // A computed specifier keeps the type checker from resolving a module that may not exist yet.
  const specifier = ["weir", "sql-runner"].join("/");
  const module = (await import(specifier).catch((error: unknown) => {
    throw new Error(`the SQL engine (${specifier}) does not load: ${String(error)}`, { cause: error });
  })) as { runSqlScript?: unknown };
  if (typeof module.runSqlScript !== "function")
    throw new Error(`${specifier} does not export a function runSqlScript`);
  return module.runSqlScript as RunSqlScript;
}
