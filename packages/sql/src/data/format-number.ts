/**
 * Java's text for floating-point numbers (`Double.toString` / `Float.toString`), which is what Flink
 * prints for DOUBLE and FLOAT and what CAST(… AS STRING) yields.
 *
 * Invariant: the digits are the shortest that read back to the same value (Java ≥ 19 and
 * JavaScript agree on that); the layout is Java's — `1.0`, `0.001`, `1234567.0`, `1.0E7`, `1.0E-4`,
 * `NaN`, `Infinity`, `-0.0`. FLOAT uses the shortest digits that read back to the same 32-bit
 * float, so `CAST(1.1 AS FLOAT)` prints `1.1`.
 * @module
 */

/** Shortest decimal digits and exponent: 1234.5 → { digits: "12345", exponent: 3 }. */
function shortestDigits(value: number, float: boolean): { digits: string; exponent: number } {
  let text = value.toExponential();
  if (float) {
    for (let p = 1; p <= 9; p++) {
      const candidate = value.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === value) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split("e") as [string, string];
  return { digits: mantissa.replace(".", "").replace(/0+$/, "") || "0", exponent: Number(exp) };
}

export function formatJavaDouble(value: number): string {
  return formatJava(value, false);
}

export function formatJavaFloat(value: number): string {
  return formatJava(value, true);
}

function formatJava(value: number, float: boolean): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "Infinity";
  if (value === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const { digits, exponent } = shortestDigits(Math.abs(value), float);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      const integral = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
      const fraction = digits.slice(exponent + 1) || "0";
      return `${sign}${integral}.${fraction}`;
    }
    return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  }
  const fraction = digits.slice(1) || "0";
  return `${sign}${digits[0]}.${fraction}E${exponent}`;
}
