/**
 * Connecting to NATS and naming JetStream objects: one place that checks server lists and names,
 * so a bad option fails at job construction with the option's name rather than deep in the client.
 * @module
 */

import { connect, type NatsConnection } from "@nats-io/transport-node";

/** Checks `servers` (a `host:port` or `nats://…` URL, or a list); returns the list. */
export function checkServers(servers: string | readonly string[] | undefined, where: string): string[] {
  const list = typeof servers === "string" ? servers.split(",").map((s) => s.trim()) : [...(servers ?? [])];
  if (list.length === 0 || list.some((s) => s === ""))
    throw new Error(`${where}: 'servers' must name at least one NATS server, e.g. "127.0.0.1:4222"`);
  return list;
}

/** JetStream stream and consumer names may not contain whitespace, `.`, `*`, `>`, `/` or `\`. */
export function checkName(value: string | undefined, option: string, where: string): string {
  if (typeof value !== "string" || value === "" || /[\s.*>/\\]/.test(value))
    throw new Error(
      `${where}: '${option}' must be a JetStream name without whitespace, '.', '*', '>', '/' or '\\' (got ${JSON.stringify(value)})`,
    );
  return value;
}

/** Connects, turning the client's terse errors into one that names the servers. */
export async function connectNats(servers: readonly string[], name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: [...servers], name, maxReconnectAttempts: -1 });
  } catch (error) {
    throw new Error(`${name}: cannot connect to NATS at ${servers.join(", ")}: ${(error as Error).message}`);
  }
}
