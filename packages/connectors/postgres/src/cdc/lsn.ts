/**
 * Postgres log sequence numbers (LSNs): 64-bit WAL positions, written `XXXXXXXX/XXXXXXXX` in hex.
 * Split state keeps them as that text (plain, JSON-safe data); comparisons and the replication
 * protocol use bigints.
 *
 * Example: `parseLsn("16/B374D848")` is `0x16B374D848n`, and `formatLsn` gives the text back.
 * @module
 */

export function parseLsn(text: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (m === null) throw new Error(`invalid LSN ${JSON.stringify(text)} (expected hex XXXXXXXX/XXXXXXXX)`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}
