import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  type CheckpointListingEntry,
  type CheckpointVerdict,
  INCOMPLETE_PROBLEM,
  judgeCheckpoint,
  type MetadataFact,
  nextRestoreStep,
  type ObjectFact,
  type RestoreStep,
} from "./restore-decision.ts";

/** How a checkpoint would turn out if inspected. */
type State = "incomplete" | "valid" | "invalid";

/** Drives `nextRestoreStep` as the store does, answering inspections from `states`. */
function drive(listing: CheckpointListingEntry[], states: ReadonlyMap<number, State>) {
  const verdicts = new Map<number, CheckpointVerdict>();
  const inspected: number[] = [];
  for (;;) {
    const step: RestoreStep = nextRestoreStep(listing, verdicts);
    if (step.kind !== "inspect") return { step, inspected };
    assert.ok(!verdicts.has(step.checkpointId), `checkpoint ${step.checkpointId} inspected twice`);
    inspected.push(step.checkpointId);
    const state = states.get(step.checkpointId);
    assert.notEqual(state, "incomplete", "an incomplete checkpoint was inspected");
    verdicts.set(
      step.checkpointId,
      state === "valid" ? { valid: true } : { valid: false, problem: `bad ${step.checkpointId}` },
    );
  }
}

/** The rule, stated directly: restore the newest valid complete one; report every newer one. */
function check(ids: number[], states: State[]): void {
  const byId = new Map(ids.map((id, i) => [id, states[i]!] as const));
  const listing = ids.map((checkpointId, i) => ({ checkpointId, complete: states[i] !== "incomplete" }));
  const { step, inspected } = drive(listing, byId);
  const newestFirst = [...ids].sort((a, b) => b - a);
  const chosen = newestFirst.find((id) => byId.get(id) === "valid");
  const newer = newestFirst.filter((id) => chosen === undefined || id > chosen);
  const expectedSkipped = newer.map((id) => ({
    checkpointId: id,
    problem: byId.get(id) === "incomplete" ? INCOMPLETE_PROBLEM : `bad ${id}`,
  }));
  if (chosen === undefined) assert.deepEqual(step, { kind: "fresh-start", skipped: expectedSkipped });
  else assert.deepEqual(step, { kind: "restore", checkpointId: chosen, skipped: expectedSkipped });
  // Inspected: exactly the complete ones down to the chosen one, newest first, nothing older.
  assert.deepEqual(
    inspected,
    newestFirst.filter((id) => byId.get(id) !== "incomplete" && (chosen === undefined || id >= chosen)),
  );
}

test("exhaustively, for up to 5 checkpoints in every order of states", () => {
  const states: State[] = ["incomplete", "valid", "invalid"];
  let cases = 0;
  for (let n = 0; n <= 5; n++) {
    for (let code = 0; code < 3 ** n; code++) {
      const assignment = Array.from({ length: n }, (_, i) => states[Math.floor(code / 3 ** i) % 3]!);
      check(
        Array.from({ length: n }, (_, i) => i + 1),
        assignment,
      );
      cases++;
    }
  }
  assert.equal(cases, 1 + 3 + 9 + 27 + 81 + 243);
});

test("for arbitrary ids in any listing order", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat({ max: 1_000_000 }), { maxLength: 12 }).chain((ids) =>
        fc.tuple(
          fc.constant(ids),
          fc.array(fc.constantFrom<State>("incomplete", "valid", "invalid"), {
            minLength: ids.length,
            maxLength: ids.length,
          }),
        ),
      ),
      ([ids, states]) => check(ids, states),
    ),
  );
});

test("worked examples", () => {
  const listing = [
    { checkpointId: 3, complete: true },
    { checkpointId: 5, complete: false },
    { checkpointId: 4, complete: true },
  ];
  assert.deepEqual(nextRestoreStep(listing, new Map()), { kind: "inspect", checkpointId: 4 });
  assert.deepEqual(nextRestoreStep(listing, new Map([[4, { valid: false, problem: "p" }]])), {
    kind: "inspect",
    checkpointId: 3,
  });
  assert.deepEqual(nextRestoreStep(listing, new Map([[4, { valid: true }]])), {
    kind: "restore",
    checkpointId: 4,
    skipped: [{ checkpointId: 5, problem: INCOMPLETE_PROBLEM }],
  });
  assert.deepEqual(nextRestoreStep([], new Map()), { kind: "fresh-start", skipped: [] });
});

const promised = [
  { name: "a", length: 3, sha256: "aa" },
  { name: "b/c", length: 0, sha256: "bb" },
];
const metadata: MetadataFact = { kind: "read", checkpointId: 9, objects: promised };
const intact = (): Map<string, ObjectFact> =>
  new Map<string, ObjectFact>(
    promised.map((o) => [o.name, { kind: "read", length: o.length, sha256: o.sha256 }]),
  );

test("a checkpoint is valid only when every promised object was read as promised", () => {
  assert.deepEqual(judgeCheckpoint(9, metadata, intact()), { valid: true });
  assert.deepEqual(judgeCheckpoint(9, { kind: "read", checkpointId: 9, objects: [] }, new Map()), {
    valid: true,
  });
  // Extra objects the metadata does not list are leftovers, not a problem.
  assert.deepEqual(judgeCheckpoint(9, metadata, intact().set("extra", { kind: "missing" })), { valid: true });

  const cases: [string, Map<string, ObjectFact>, RegExp][] = [
    ["missing", intact().set("a", { kind: "missing" }), /^data object "a" is missing$/],
    [
      "unchecked",
      (() => {
        const m = intact();
        m.delete("b/c");
        return m;
      })(),
      /^data object "b\/c" was not checked$/,
    ],
    [
      "unreadable",
      intact().set("a", { kind: "unreadable", problem: "checksum mismatch" }),
      /^checksum mismatch$/,
    ],
    [
      "other sha",
      intact().set("a", { kind: "read", length: 3, sha256: "cc" }),
      /^data object "a" is intact but not the one _metadata lists \(3 bytes, sha256 cc; expected 3 bytes, sha256 aa\)$/,
    ],
    [
      "other length",
      intact().set("b/c", { kind: "read", length: 1, sha256: "bb" }),
      /"b\/c" is intact but not/,
    ],
    [
      "two problems",
      new Map<string, ObjectFact>([
        ["a", { kind: "missing" }],
        ["b/c", { kind: "missing" }],
      ]),
      /^data object "a" is missing \(and 1 more problem\(s\)\)$/,
    ],
  ];
  for (const [label, facts, problem] of cases) {
    const verdict = judgeCheckpoint(9, metadata, facts);
    assert.equal(verdict.valid, false, label);
    if (!verdict.valid) assert.match(verdict.problem, problem, label);
  }
  assert.deepEqual(judgeCheckpoint(9, { kind: "unreadable", problem: "truncated" }, intact()), {
    valid: false,
    problem: "truncated",
  });
  assert.deepEqual(judgeCheckpoint(8, metadata, intact()), {
    valid: false,
    problem: "its _metadata describes checkpoint 9 (copied from another checkpoint?)",
  });
});

test("valid exactly when every promised object has a matching read fact (property)", () => {
  const fact = fc.oneof(
    fc.constant<ObjectFact>({ kind: "missing" }),
    fc.constant<ObjectFact>({ kind: "unreadable", problem: "x" }),
    fc.record({ kind: fc.constant("read" as const), length: fc.nat(3), sha256: fc.constantFrom("aa", "bb") }),
  );
  fc.assert(
    fc.property(fc.dictionary(fc.constantFrom("a", "b/c", "z"), fact), (facts) => {
      const map = new Map(Object.entries(facts));
      const expected = promised.every((o) => {
        const f = map.get(o.name);
        return f?.kind === "read" && f.length === o.length && f.sha256 === o.sha256;
      });
      assert.equal(judgeCheckpoint(9, metadata, map).valid, expected);
    }),
  );
});
