/**
 * A parser for the subset of YAML that `weir.yaml` uses: nested block mappings of scalars, with
 * comments. Scalars are numbers, booleans, null, single- or double-quoted strings and plain
 * strings. Anything else (lists, anchors, flow collections, multi-line strings, tabs) is refused
 * with the line and column, rather than guessed at.
 *
 * The result is flat: nested keys joined by dots.
 * Example: "rest:\n  port: 8081  # REST\n  bind: '0.0.0.0'" -> { "rest.port": 8081, "rest.bind": "0.0.0.0" }
 * @module
 */

export class YamlSubsetError extends Error {
  override name = "YamlSubsetError";
}

export type Scalar = string | number | boolean | null;

const KEY = /^([A-Za-z0-9_][A-Za-z0-9_.-]*)\s*:(?:\s+(.*))?$/;

function stripComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i);
  }
  return text;
}

function scalar(raw: string, where: string): Scalar {
  const text = raw.trim();
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new YamlSubsetError(`${where}: malformed double-quoted string ${text}`);
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2)
      throw new YamlSubsetError(`${where}: malformed single-quoted string ${text}`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (/^[[{&*!|>]/.test(text) || text.startsWith("- "))
    throw new YamlSubsetError(
      `${where}: only scalars are supported here (no lists, flow collections, anchors or block strings)`,
    );
  if (text === "true" || text === "false") return text === "true";
  if (text === "null" || text === "~") return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

export function parseYamlSubset(source: string, file: string): Map<string, Scalar> {
  const result = new Map<string, Scalar>();
  /** Open mappings: indentation and the dotted key that opened them. */
  const stack: { indent: number; prefix: string }[] = [{ indent: -1, prefix: "" }];
  let pendingParent: { indent: number; prefix: string; line: number } | undefined;
  const lines = source.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const where = `${file}:${n + 1}`;
    const line = lines[n]!;
    if (line.includes("\t")) throw new YamlSubsetError(`${where}: tabs are not allowed for indentation`);
    const content = stripComment(line).trimEnd();
    if (content.trim().length === 0) continue;
    const indent = content.length - content.trimStart().length;
    if (pendingParent !== undefined) {
      if (indent <= pendingParent.indent)
        throw new YamlSubsetError(
          `${file}:${pendingParent.line}: "${pendingParent.prefix}" has no value and no nested keys`,
        );
      stack.push({ indent, prefix: pendingParent.prefix });
      pendingParent = undefined;
    }
    while (indent < stack[stack.length - 1]!.indent) stack.pop();
    const top = stack[stack.length - 1]!;
    if (indent !== top.indent && top.indent !== -1)
      throw new YamlSubsetError(`${where}:${indent + 1}: indentation does not match any enclosing mapping`);
    if (top.indent === -1) top.indent = indent;
    if (content.trimStart().startsWith("- "))
      throw new YamlSubsetError(`${where}:${indent + 1}: only scalars are supported here (no lists)`);
    const match = KEY.exec(content.trimStart());
    if (match === null) throw new YamlSubsetError(`${where}:${indent + 1}: expected "key: value" or "key:"`);
    const key = top.prefix === "" ? match[1]! : `${top.prefix}.${match[1]!}`;
    if (result.has(key) || [...result.keys()].some((k) => k.startsWith(`${key}.`)))
      throw new YamlSubsetError(`${where}: duplicate key "${key}"`);
    const value = match[2];
    if (value === undefined || value.trim() === "") pendingParent = { indent, prefix: key, line: n + 1 };
    else result.set(key, scalar(value, `${where}:${indent + match[1]!.length + 3}`));
  }
  if (pendingParent !== undefined)
    throw new YamlSubsetError(
      `${file}:${pendingParent.line}: "${pendingParent.prefix}" has no value and no nested keys`,
    );
  return result;
}
