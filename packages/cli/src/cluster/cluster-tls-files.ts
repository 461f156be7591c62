/**
 * Reads the PEM files named by the TLS settings. Either all of a group are set or none: half a TLS
 * configuration is refused (it would otherwise silently run in plaintext).
 * @module
 */

import { readFileSync } from "node:fs";
import { UsageError } from "../usage-error.ts";
import type { ClusterSettings } from "./cluster-settings.ts";

function readPem(path: string, key: string, command: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${key} file ${path}: ${(error as Error).message}`, command);
  }
}

export function pemGroup<K extends string>(
  settings: ClusterSettings,
  keys: Record<K, string>,
  command: string,
): Record<K, string> | undefined {
  const entries = Object.entries(keys) as [K, string][];
  const paths = entries.map(([name, key]) => [name, key, settings.get(key)] as const);
  const set = paths.filter(([, , path]) => path !== undefined);
  if (set.length === 0) return undefined;
  if (set.length < paths.length)
    throw new UsageError(
      `incomplete TLS settings: set all of ${entries.map(([, key]) => key).join(", ")} or none`,
      command,
    );
  return Object.fromEntries(paths.map(([name, key, path]) => [name, readPem(path!, key, command)])) as Record<
    K,
    string
  >;
}
