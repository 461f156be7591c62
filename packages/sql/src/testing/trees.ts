/**
 * Helpers shared by this package's tests: comparing trees without their spans, and walking every
 * node of a tree.
 *
 * Invariant: {@link withoutSpans} removes exactly the `span` properties and keeps everything else,
 * so two trees compare equal after it precisely when they differ only in source positions.
 * @module
 */

import type { Span } from "../ast/span.ts";

/** A deep copy of `value` without any `span` property. */
export function withoutSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSpans);
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key !== "span") copy[key] = withoutSpans(inner);
    }
    return copy;
  }
  return value;
}

/** A syntax node: any object with a `kind` and a `span`. */
export interface AnyNode {
  readonly kind: string;
  readonly span: Span;
}

function isNode(value: unknown): value is AnyNode {
  return value !== null && typeof value === "object" && "kind" in value && "span" in value;
}

/** Calls `visit` for every node under `root` (including it), with its nearest enclosing node. */
export function walkNodes(root: unknown, visit: (node: AnyNode, parent: AnyNode | null) => void): void {
  const walk = (value: unknown, parent: AnyNode | null): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, parent);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const node = isNode(value) ? value : null;
    if (node !== null) visit(node, parent);
    for (const [key, inner] of Object.entries(value)) {
      if (key !== "span") walk(inner, node ?? parent);
    }
  };
  walk(root, null);
}
