import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SqlRuntimeError } from "../data/sql-runtime-error.ts";
import type { SqlValue } from "../data/values.ts";
import { typedCall } from "../functions/testing/call-function.ts";
import type { RexNode } from "../plan/rex.ts";
import type { LogicalType } from "../types/logical-type.ts";
import { LogicalTypes as T } from "../types/type-factory.ts";
import {
  compileJoinPredicate,
  compilePredicate,
  compileProjection,
  compileScalar,
  evaluateConstant,
  projectionSource,
} from "./compile-expression.ts";

const ctx = { timeZone: "UTC" };
const ref = (index: number, type: LogicalType): RexNode => ({ kind: "input-ref", index, type });
const lit = (value: SqlValue, type: LogicalType): RexNode => ({ kind: "literal", value, type });

// ---- independent reference semantics -------------------------------------------------------

type Arith = "+" | "-" | "*";
/** Java int arithmetic, computed exactly in BigInt and wrapped to 32 bits. */
function intReference(op: Arith, a: number, b: number): number {
  const x = BigInt(a);
  const y = BigInt(b);
  const exact = op === "+" ? x + y : op === "-" ? x - y : x * y;
  return Number(BigInt.asIntN(32, exact));
}

/** Kleene's three-valued logic on 0 (false), 0.5 (unknown), 1 (true). */
const truth = (v: SqlValue) => (v === null ? 0.5 : v ? 1 : 0);
const fromTruth = (t: number): SqlValue => (t === 0.5 ? null : t === 1);

type IntTree = { col: number } | { op: Arith; left: IntTree; right: IntTree } | { lit: number };
const intTree: fc.Arbitrary<IntTree> = fc.letrec<{ tree: IntTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ col: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ lit: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }),
    fc.record({ op: fc.constantFrom<Arith>("+", "-", "*"), left: tie("tree"), right: tie("tree") }),
  ),
})).tree;

function intRex(tree: IntTree): RexNode {
  if ("col" in tree) return ref(tree.col, T.int(true));
  if ("lit" in tree) return lit(tree.lit, T.int(false));
  return typedCall(tree.op, [intRex(tree.left), intRex(tree.right)]);
}

function intEval(tree: IntTree, row: readonly (number | null)[]): number | null {
  if ("col" in tree) return row[tree.col]!;
  if ("lit" in tree) return tree.lit;
  const a = intEval(tree.left, row);
  const b = intEval(tree.right, row);
  return a === null || b === null ? null : intReference(tree.op, a, b);
}

const intValue = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0, 1, -1, 2 ** 31 - 1, -(2 ** 31)),
  fc.constant(null),
);

describe("compiled arithmetic against a reference", () => {
  it("INT + - * wrap like Java and propagate NULL", () => {
    fc.assert(
      fc.property(intTree, fc.array(intValue, { minLength: 3, maxLength: 3 }), (tree, row) => {
        const compiled = compileScalar(intRex(tree), ctx);
        assert.equal(compiled(row), intEval(tree, row));
      }),
      { numRuns: 300 },
    );
  });

  it("BIGINT + - * / % wrap to 64 bits; integer division by zero throws", () => {
    const big = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    fc.assert(
      fc.property(
        fc.constantFrom("+", "-", "*", "/", "%"),
        big,
        fc.oneof(big, fc.constant(0n)),
        (op, a, b) => {
          const rex = typedCall(op, [ref(0, T.bigint(false)), ref(1, T.bigint(false))]);
          const run = () => compileScalar(rex, ctx)([a, b]);
          if ((op === "/" || op === "%") && b === 0n) {
            assert.throws(run, SqlRuntimeError);
            return;
          }
          const exact =
            op === "+" ? a + b : op === "-" ? a - b : op === "*" ? a * b : op === "/" ? a / b : a % b;
          assert.equal(run(), BigInt.asIntN(64, exact));
        },
      ),
    );
  });

  it("INT / and % truncate toward zero like Java", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).filter((b) => b !== 0),
        (a, b) => {
          const div = compileScalar(
            typedCall("/", [ref(0, T.int(false)), ref(1, T.int(false))]),
            ctx,
          )([a, b]);
          const mod = compileScalar(
            typedCall("%", [ref(0, T.int(false)), ref(1, T.int(false))]),
            ctx,
          )([a, b]);
          assert.equal(div, Number(BigInt.asIntN(32, BigInt(a) / BigInt(b))));
          assert.equal(mod, Number(BigInt(a) % BigInt(b)));
        },
      ),
    );
    assert.throws(
      () => compileScalar(typedCall("/", [ref(0, T.int(false)), lit(0, T.int(false))]), ctx)([7]),
      /Division by zero/,
    );
  });

  it("DECIMAL + - * / match exact rational arithmetic rounded HALF_UP", () => {
    const roundHalfUp = (num: bigint, den: bigint): bigint => {
      // Rounds num/den to an integer, halves away from zero; written independently of decimal.ts.
      const negative = num < 0n !== den < 0n;
      const n = num < 0n ? -num : num;
      const d = den < 0n ? -den : den;
      let q = n / d;
      if ((n % d) * 2n >= d) q += 1n;
      return negative ? -q : q;
    };
    const decimalType = fc
      .tuple(fc.integer({ min: 1, max: 18 }), fc.integer({ min: 0, max: 18 }))
      .map(([p, s]) => T.decimal(Math.max(p, s, 1), Math.min(s, Math.max(p, s, 1)), false));
    fc.assert(
      fc.property(
        decimalType,
        decimalType,
        fc.constantFrom("+", "-", "*", "/"),
        fc.bigInt(),
        fc.bigInt(),
        (ta, tb, op, ra, rb) => {
          if (ta.kind !== "DECIMAL" || tb.kind !== "DECIMAL") return;
          const a = ra % 10n ** BigInt(ta.precision);
          const b = rb % 10n ** BigInt(tb.precision);
          if (op === "/" && b === 0n) return;
          const call = typedCall(op, [ref(0, ta), ref(1, tb)]);
          const result = call.type;
          assert.equal(result.kind, "DECIMAL");
          if (result.kind !== "DECIMAL") return;
          // a = A / 10^sa, b = B / 10^sb; the exact result as num / den.
          const pa = 10n ** BigInt(ta.scale);
          const pb = 10n ** BigInt(tb.scale);
          const [num, den] =
            op === "+"
              ? [a * pb + b * pa, pa * pb]
              : op === "-"
                ? [a * pb - b * pa, pa * pb]
                : op === "*"
                  ? [a * b, pa * pb]
                  : [a * pb, b * pa];
          const expected = roundHalfUp(num * 10n ** BigInt(result.scale), den);
          const bound = 10n ** BigInt(result.precision);
          const value = compileScalar(call, ctx)([a, b]);
          assert.equal(value, expected < bound && expected > -bound ? expected : null);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("DOUBLE and FLOAT follow IEEE arithmetic", () => {
    const run = (op: string, type: LogicalType, a: number, b: number) =>
      compileScalar(typedCall(op, [ref(0, type), ref(1, type)]), ctx)([a, b]);
    assert.equal(run("/", T.double(false), 1, 0), Number.POSITIVE_INFINITY);
    assert.ok(Number.isNaN(run("%", T.double(false), 1, 0) as number));
    assert.equal(
      run("+", T.float(false), Math.fround(0.1), Math.fround(0.2)),
      Math.fround(Math.fround(0.1) + Math.fround(0.2)),
    );
    // INT + DOUBLE: the validator's cast widens INT, then adds as doubles.
    assert.equal(
      compileScalar(typedCall("+", [ref(0, T.int(false)), ref(1, T.double(false))]), ctx)([1, 0.5]),
      1.5,
    );
  });
});

describe("compiled comparisons and logic against a reference", () => {
  it("comparisons are NULL when an operand is NULL and otherwise agree with math", () => {
    fc.assert(
      fc.property(fc.constantFrom("=", "<>", "<", "<=", ">", ">="), intValue, intValue, (op, a, b) => {
        const value = compileScalar(typedCall(op, [ref(0, T.int()), ref(1, T.int())]), ctx)([a, b]);
        if (a === null || b === null) return assert.equal(value, null);
        const expected = { "=": a === b, "<>": a !== b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[
          op
        ];
        assert.equal(value, expected);
      }),
    );
  });

  it("mixed-type comparisons compare values, not representations", () => {
    const eq = (left: RexNode, right: RexNode, row: SqlValue[]) =>
      compileScalar(typedCall("=", [left, right]), ctx)(row);
    assert.equal(eq(ref(0, T.int(false)), ref(1, T.bigint(false)), [5, 5n]), true);
    assert.equal(eq(ref(0, T.decimal(5, 2)), ref(1, T.decimal(3, 1)), [150n, 15n]), true);
    assert.equal(eq(ref(0, T.int(false)), ref(1, T.decimal(3, 1)), [2, 20n]), true);
    assert.equal(eq(ref(0, T.string(false)), ref(1, T.int(false)), ["10", 10]), true);
    assert.equal(
      compileScalar(typedCall("<", [ref(0, T.string()), ref(1, T.string())]), ctx)(["abc", "abd"]),
      true,
    );
  });

  type BoolTree =
    | { col: number }
    | { op: "AND" | "OR"; operands: BoolTree[] }
    | { not: BoolTree }
    | { isNull: BoolTree };
  const boolTree: fc.Arbitrary<BoolTree> = fc.letrec<{ tree: BoolTree }>((tie) => ({
    tree: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      fc.record({ col: fc.integer({ min: 0, max: 3 }) }),
      fc.record({
        op: fc.constantFrom<"AND" | "OR">("AND", "OR"),
        operands: fc.array(tie("tree"), { minLength: 2, maxLength: 3 }),
      }),
      fc.record({ not: tie("tree") }),
      fc.record({ isNull: tie("tree") }),
    ),
  })).tree;

  function boolRex(tree: BoolTree): RexNode {
    if ("col" in tree) return ref(tree.col, T.boolean(tree.col !== 3));
    if ("not" in tree) return typedCall("NOT", [boolRex(tree.not)]);
    if ("isNull" in tree) return typedCall("IS NULL", [boolRex(tree.isNull)]);
    return typedCall(tree.op, tree.operands.map(boolRex));
  }

  function boolEval(tree: BoolTree, row: readonly SqlValue[]): number {
    if ("col" in tree) return truth(row[tree.col]!);
    if ("not" in tree) return 1 - boolEval(tree.not, row);
    if ("isNull" in tree) return boolEval(tree.isNull, row) === 0.5 ? 1 : 0;
    const values = tree.operands.map((t) => boolEval(t, row));
    return tree.op === "AND" ? Math.min(...values) : Math.max(...values);
  }

  it("AND / OR / NOT / IS NULL follow Kleene's three-valued logic", () => {
    const value = fc.constantFrom<SqlValue>(true, false, null);
    fc.assert(
      fc.property(boolTree, value, value, value, fc.boolean(), (tree, a, b, c, d) => {
        const row = [a, b, c, d];
        assert.equal(compileScalar(boolRex(tree), ctx)(row), fromTruth(boolEval(tree, row)));
      }),
      { numRuns: 400 },
    );
  });

  it("AND / OR do not evaluate operands once the result is decided", () => {
    const division = typedCall("=", [
      typedCall("/", [lit(1, T.int(false)), ref(0, T.int(false))]),
      lit(1, T.int(false)),
    ]);
    const guarded = typedCall("AND", [
      typedCall("<>", [ref(0, T.int(false)), lit(0, T.int(false))]),
      division,
    ]);
    assert.equal(compilePredicate(guarded, ctx)([0]), false);
    assert.equal(compilePredicate(guarded, ctx)([1]), true);
  });
});

describe("CASE, COALESCE, casts and projections", () => {
  it("CASE takes the first TRUE branch and skips NULL conditions", () => {
    const rex = typedCall("CASE", [
      typedCall(">", [ref(0, T.int()), lit(10, T.int(false))]),
      lit("big", T.char(3, false)),
      typedCall(">", [ref(0, T.int()), lit(0, T.int(false))]),
      lit("small", T.char(5, false)),
      lit(null, T.null()),
    ]);
    assert.equal(rex.type.kind, "VARCHAR");
    const run = compileScalar(rex, ctx);
    assert.equal(run([11]), "big");
    assert.equal(run([5]), "small");
    assert.equal(run([-1]), null);
    assert.equal(run([null]), null);
  });

  it("COALESCE returns the first non-null operand", () => {
    const rex = typedCall("COALESCE", [ref(0, T.int()), ref(1, T.int()), lit(0, T.int(false))]);
    assert.equal(rex.type.nullable, false);
    const run = compileScalar(rex, ctx);
    assert.equal(run([null, 2]), 2);
    assert.equal(run([1, 2]), 1);
    assert.equal(run([null, null]), 0);
  });

  it("casts and TRY_CASTs", () => {
    const cast = (operand: RexNode, type: LogicalType, safe = false): RexNode => ({
      kind: "cast",
      operand,
      type,
      safe,
    });
    assert.equal(compileScalar(cast(ref(0, T.int()), T.bigint()), ctx)([7]), 7n);
    assert.equal(compileScalar(cast(ref(0, T.int()), T.bigint()), ctx)([null]), null);
    assert.equal(compileScalar(cast(ref(0, T.int()), T.tinyint()), ctx)([300]), 44);
    assert.equal(compileScalar(cast(ref(0, T.int()), T.decimal(12, 2)), ctx)([7]), 700n);
    assert.equal(compileScalar(cast(ref(0, T.string()), T.int(), true), ctx)(["x"]), null);
    assert.throws(() => compileScalar(cast(ref(0, T.string()), T.int()), ctx)(["x"]), SqlRuntimeError);
  });

  it("projections allocate one output row and predicates treat NULL as false", () => {
    const projection = compileProjection(
      [ref(1, T.string()), typedCall("+", [ref(0, T.int()), lit(1, T.int(false))])],
      ctx,
    );
    const input = [41, "a"];
    const output = projection(input);
    assert.deepEqual(output, ["a", 42]);
    assert.notEqual(output, input);
    const predicate = compilePredicate(typedCall(">", [ref(0, T.int()), lit(0, T.int(false))]), ctx);
    assert.equal(predicate([null]), false);
    assert.equal(predicate([1]), true);
  });

  it("join predicates read left fields then right fields", () => {
    const rex = typedCall("=", [ref(0, T.int()), ref(2, T.int())]);
    const predicate = compileJoinPredicate(rex, 2, ctx);
    assert.equal(predicate([1, "x"], [1]), true);
    assert.equal(predicate([1, "x"], [2]), false);
  });

  it("inlines hot operators and skips NULL checks for NOT NULL operands", () => {
    const source = projectionSource([typedCall("+", [ref(0, T.int(false)), ref(1, T.int(false))])], ctx);
    assert.match(source, /\(row\[0\] \+ row\[1\]\) \| 0/);
    assert.doesNotMatch(source, /=== null/);
    const nullable = projectionSource([typedCall("+", [ref(0, T.int()), ref(1, T.int(false))])], ctx);
    assert.match(nullable, /row\[0\] === null/);
    assert.doesNotMatch(nullable, /row\[1\] === null/);
  });

  it("folds constants", () => {
    assert.equal(evaluateConstant(typedCall("*", [lit(6, T.int(false)), lit(7, T.int(false))]), ctx), 42);
    assert.equal(evaluateConstant(typedCall("UPPER", [lit("abc", T.string(false))]), ctx), "ABC");
  });
});

describe("IN with constant lists", () => {
  it("uses a set lookup with SQL's NULL semantics", () => {
    const inList = (list: RexNode[], type: LogicalType = T.bigint()) =>
      compileScalar(typedCall("IN", [ref(0, type), ...list]), ctx);
    const ints = inList([lit(1, T.int(false)), lit(3, T.int(false))]);
    assert.match(
      projectionSource(
        [typedCall("IN", [ref(0, T.bigint()), lit(1, T.int(false)), lit(3, T.int(false))])],
        ctx,
      ),
      /\.has\(/,
    );
    assert.equal(ints([3n]), true);
    assert.equal(ints([2n]), false);
    assert.equal(ints([null]), null);
    const withNull = inList([lit(1, T.int(false)), lit(null, T.null())]);
    assert.equal(withNull([1n]), true);
    assert.equal(withNull([2n]), null);
    const strings = inList([lit("a", T.char(1, false)), lit("bc", T.char(2, false))], T.string());
    assert.equal(strings(["bc"]), true);
    assert.equal(strings(["b"]), false);
    // A non-constant list falls back to the scan and gives the same answers.
    const mixed = compileScalar(
      typedCall("IN", [ref(0, T.int()), ref(1, T.int()), lit(5, T.int(false))]),
      ctx,
    );
    assert.equal(mixed([5, 1]), true);
    assert.equal(mixed([1, 1]), true);
    assert.equal(mixed([2, null]), null);
  });
});
