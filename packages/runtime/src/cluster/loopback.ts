/**
 * Which bind addresses are loopback-only. Binding anywhere else exposes a port to the network,
 * which the cluster allows only with authentication configured.
 *
 * Example: `127.0.0.1`, `127.3.4.5`, `::1`, `localhost` -> true; `0.0.0.0`, `::`, `10.0.0.5` -> false.
 * @module
 */

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === "localhost" || h === "::1" || h === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
