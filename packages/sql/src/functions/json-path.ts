/**
 * SQL/JSON path evaluation for the JSON functions: parsing paths (`$`, `.key`, `."quoted key"`,
 * `['key']`, `[index]`, `[*]`, `.*`) and selecting from parsed documents in lax or strict mode.
 *
 * Invariant: a path is strict unless it starts with `lax` (Flink's default); in strict mode a
 * step that finds nothing before any wildcard is an error (an outcome, never a throw), in lax
 * mode it only selects nothing, and key steps unwrap arrays.
 * Example: `evaluateJsonPath('{"a": [1, 2]}', '$.a[1]')` finds `[2]`;
 * `evaluateJsonPath('{}', '$.b')` is the error "strict path $.b: no member 'b'".
 * @module
 */

type Step = { readonly key: string } | { readonly index: number } | { readonly wildcard: true };

const parsedPaths = new Map<string, readonly Step[] | null>();

/** Parses `$.a.b[0]`; null when the path is not valid. */
export function parseJsonPath(path: string): readonly Step[] | null {
  const cached = parsedPaths.get(path);
  if (cached !== undefined) return cached;
  let steps: Step[] | null = [];
  let text = path.trim();
  if (text.startsWith("lax ")) text = text.slice(4).trim();
  if (text.startsWith("strict ")) text = text.slice(7).trim();
  if (!text.startsWith("$")) steps = null;
  let i = 1;
  while (steps !== null && i < text.length) {
    const ch = text[i]!;
    if (ch === "." && text[i + 1] === "[") {
      // `$.["a.b"]`: a bracket step written after a dot.
      i++;
    } else if (ch === ".") {
      if (text[i + 1] === "*") {
        steps.push({ wildcard: true });
        i += 2;
      } else if (text[i + 1] === '"') {
        const end = text.indexOf('"', i + 2);
        if (end < 0) steps = null;
        else {
          steps.push({ key: text.slice(i + 2, end) });
          i = end + 1;
        }
      } else {
        const match = /^[A-Za-z_$][\w$]*/.exec(text.slice(i + 1));
        if (match === null) steps = null;
        else {
          steps.push({ key: match[0] });
          i += 1 + match[0].length;
        }
      }
    } else if (ch === "[") {
      const end = text.indexOf("]", i);
      if (end < 0) {
        steps = null;
        break;
      }
      const inner = text.slice(i + 1, end).trim();
      if (inner === "*") steps.push({ wildcard: true });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else steps = null;
      i = end + 1;
    } else if (ch === " ") i++;
    else steps = null;
  }
  if (parsedPaths.size > 256) parsedPaths.clear();
  parsedPaths.set(path, steps);
  return steps;
}

/** All values the path selects (lax: arrays are unwrapped for key steps). */
export function selectJsonPath(document: unknown, steps: readonly Step[]): unknown[] {
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if ("wildcard" in step) {
        if (Array.isArray(value)) next.push(...value);
        else if (value !== null && typeof value === "object") next.push(...Object.values(value));
      } else if ("index" in step) {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (Array.isArray(value)) {
        for (const element of value) {
          if (
            element !== null &&
            typeof element === "object" &&
            !Array.isArray(element) &&
            step.key in element
          ) {
            next.push((element as Record<string, unknown>)[step.key]);
          }
        }
      } else if (value !== null && typeof value === "object" && step.key in value) {
        next.push((value as Record<string, unknown>)[step.key]);
      }
    }
    current = next;
  }
  return current;
}

export function parseJsonDocument(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** What a path finds in a document: its matches, or why that is an error. */
export type PathOutcome =
  | { readonly ok: true; readonly found: unknown[]; readonly strict: boolean; readonly definite: boolean }
  | { readonly ok: false; readonly reason: string };

/** Flink (Calcite) reads a path without a `lax` or `strict` prefix as strict. */
function isStrictPath(path: string): boolean {
  return !/^\s*lax\s/.test(path);
}

/**
 * Strict mode: until a wildcard, every step must find its member or element (no array
 * unwrapping); after one, the items without it are skipped, as Flink's path engine does.
 */
function selectStrict(document: unknown, steps: readonly Step[], path: string): PathOutcome {
  let current: unknown[] = [document];
  let definite = true;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
      let missing: string | null = null;
      if ("wildcard" in step) {
        if (Array.isArray(value)) next.push(...value);
        else if (isObject) next.push(...Object.values(value));
        else missing = "[*] applied to a scalar";
      } else if ("index" in step) {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
        else missing = `no element [${step.index}]`;
      } else if (isObject && step.key in value) {
        next.push((value as Record<string, unknown>)[step.key]);
      } else {
        missing = `no member '${step.key}'`;
      }
      if (missing !== null && definite) return { ok: false, reason: `strict path ${path}: ${missing}` };
    }
    if ("wildcard" in step) definite = false;
    current = next;
  }
  return { ok: true, found: current, strict: true, definite };
}

export function evaluateJsonPath(text: string, path: string): PathOutcome {
  const steps = parseJsonPath(path);
  if (steps === null) return { ok: false, reason: `illegal JSON path ${JSON.stringify(path)}` };
  const document = parseJsonDocument(text);
  if (!document.ok) return { ok: false, reason: "the input is not valid JSON text" };
  if (isStrictPath(path)) return selectStrict(document.value, steps, path);
  const definite = steps.every((s) => !("wildcard" in s));
  return { ok: true, found: selectJsonPath(document.value, steps), strict: false, definite };
}

/**
 * The one item a path selected (undefined when none): its match for a definite path, the array
 * of its matches for a path with a wildcard.
 */
export function selectedItem(outcome: { readonly found: unknown[]; readonly definite: boolean }): unknown {
  if (outcome.found.length === 0) return undefined;
  return outcome.definite && outcome.found.length === 1 ? outcome.found[0] : outcome.found;
}

export function isScalarJson(value: unknown): boolean {
  return value === null || typeof value !== "object";
}
