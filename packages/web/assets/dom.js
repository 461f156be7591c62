// @ts-check
/**
 * Element builders for the dashboard's views. Invariant: text from the API only ever becomes a
 * text node (never HTML), so a job named `<img onerror=…>` is shown, not run.
 *
 * Example: `el("td", { class: "number" }, "42")` is `<td class="number">42</td>`.
 * @module
 */

/** @typedef {Node | string | number | null | undefined | false} Child */

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  append(element, children);
  return element;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attributes]
 * @param {...(Child | Child[])} children
 * @returns {SVGElement}
 */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

/**
 * @param {Element} parent
 * @param {(Child | Child[])[]} children
 */
function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === "number" ? String(child) : child);
  }
}

/**
 * A table with a header row; `empty` is shown in a single cell when there are no rows.
 * @param {string} testId
 * @param {readonly (string | [string, string])[]} headers a title, or [title, class]
 * @param {HTMLElement[]} rows
 * @param {string} empty
 */
export function table(testId, headers, rows, empty) {
  const head = el(
    "tr",
    {},
    headers.map((h) => (typeof h === "string" ? el("th", {}, h) : el("th", { class: h[1] }, h[0]))),
  );
  const body =
    rows.length > 0
      ? rows
      : [el("tr", {}, el("td", { class: "empty", colspan: String(headers.length) }, empty))];
  return el("table", { "data-testid": testId }, el("thead", {}, head), el("tbody", {}, body));
}
