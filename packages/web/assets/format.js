// @ts-check
/**
 * How the dashboard writes numbers, times and backpressure. Pure functions of their arguments
 * (the current time is passed in), so every view shows the same value the same way.
 *
 * Example: `formatDuration(3_725_000)` is "1h 2m 5s"; `backpressureLevel(0.3)` is "low".
 * @module
 */

/** @param {number} ms */
export function formatDuration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** @param {number} epochMs */
export function formatTime(epochMs) {
  if (!Number.isFinite(epochMs) || epochMs <= 0) return "—";
  const d = new Date(epochMs);
  return `${d.toLocaleDateString()} ${d.toLocaleTimeString()}`;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** @param {number} n */
export function formatCount(n) {
  return Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—";
}

/**
 * Watermarks are epoch milliseconds; Long.MIN_VALUE-like values mean "none yet".
 * @param {number | null | undefined} watermark
 */
export function formatWatermark(watermark) {
  if (watermark === null || watermark === undefined || !Number.isFinite(watermark)) return "—";
  if (watermark <= -8.64e15 || watermark >= 8.64e15) return "—";
  return new Date(watermark).toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Flink's thresholds: up to 10 % of the time backpressured is OK, up to 50 % LOW, above HIGH.
 * @param {number} ratio
 * @returns {"ok" | "low" | "high"}
 */
export function backpressureLevel(ratio) {
  if (ratio > 0.5) return "high";
  if (ratio > 0.1) return "low";
  return "ok";
}
