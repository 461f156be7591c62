/**
 * The state of one code generation: the JavaScript statements emitted so far, the constants and
 * functions the generated code refers to, and fresh local names.
 *
 * Invariant: generated code refers to outside values only through the arrays `K` (constants) and
 * `F` (functions) and the parameters `ctx` (the FunctionContext), `H` (fixed helpers) and the row
 * parameters, so the code text itself is plain and `new Function` never closes over anything.
 * @module
 */

export class CodeBuilder {
  readonly constants: unknown[] = [];
  readonly functions: unknown[] = [];
  #next = 0;

  /** A fresh local variable name. */
  fresh(prefix = "t"): string {
    return `${prefix}${this.#next++}`;
  }

  /** `K[i]` for a constant (each distinct object registered once). */
  constant(value: unknown): string {
    let index = this.constants.indexOf(value);
    if (index < 0) {
      index = this.constants.length;
      this.constants.push(value);
    }
    return `K[${index}]`;
  }

  /** `F[i]` for a function. */
  function(fn: unknown): string {
    let index = this.functions.indexOf(fn);
    if (index < 0) {
      index = this.functions.length;
      this.functions.push(fn);
    }
    return `F[${index}]`;
  }
}

/** A block of statements under construction. */
export type Block = string[];
