/**
 * Parsing of the cluster commands' numeric and address flags, with errors that name the flag.
 * @module
 */

import { UsageError } from "../usage-error.ts";

export function portFlag(value: unknown, flag: string, fallback: number, command: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--${flag} must be a port number from 0 to 65535, got "${String(value)}"`, command);
  return n;
}

export function positiveFlag(value: unknown, flag: string, fallback: number, command: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < 1)
    throw new UsageError(`--${flag} must be a positive integer, got "${String(value)}"`, command);
  return n;
}

/** `host:port`, `[v6]:port` -> its parts. */
export function hostPortFlag(value: string, flag: string, command: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  if (match === null || Number(match[2]) > 65535)
    throw new UsageError(`--${flag} must be HOST:PORT, got "${value}"`, command);
  return { host: match[1]!.replace(/^\[|\]$/g, ""), port: Number(match[2]) };
}
