/** `weir run` checkpoint flags (unaligned, alignment timeout, max concurrent): parsed into the invocation, refused when they make no sense. */

import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseRunArgs, type RunInvocation } from "./run-command.ts";

// Any existing file will do: parsing checks only that the job file exists.
const JOB = fileURLToPath(import.meta.url);

function parse(...flags: string[]): RunInvocation {
  const invocation = parseRunArgs([JOB, ...flags]);
  assert.notEqual(invocation, "help");
  return invocation as RunInvocation;
}

test("--unaligned-checkpoints and --aligned-checkpoint-timeout are parsed", () => {
  const plain = parse("--checkpoint-interval", "100");
  assert.equal(plain.unalignedCheckpoints, false);
  assert.equal(plain.alignedCheckpointTimeoutMs, undefined);
  const unaligned = parse("--checkpoint-interval", "100", "--unaligned-checkpoints");
  assert.equal(unaligned.unalignedCheckpoints, true);
  const timed = parse(
    "--checkpoint-interval",
    "100",
    "--unaligned-checkpoints",
    "--aligned-checkpoint-timeout",
    "0",
  );
  assert.equal(timed.alignedCheckpointTimeoutMs, 0);
  assert.equal(
    parse("--checkpoint-interval", "100", "--unaligned-checkpoints", "--aligned-checkpoint-timeout", "250")
      .alignedCheckpointTimeoutMs,
    250,
  );
});

test("the unaligned flags need checkpoints, and the timeout needs unaligned checkpoints", () => {
  assert.throws(
    () => parse("--unaligned-checkpoints"),
    /--unaligned-checkpoints needs --checkpoint-interval/,
  );
  assert.throws(
    () => parse("--checkpoint-interval", "100", "--aligned-checkpoint-timeout", "50"),
    /--aligned-checkpoint-timeout needs --unaligned-checkpoints/,
  );
  assert.throws(
    () =>
      parse("--checkpoint-interval", "100", "--unaligned-checkpoints", "--aligned-checkpoint-timeout", "1.5"),
    /--aligned-checkpoint-timeout must be an integer of at least 0, got "1.5"/,
  );
});

test("--max-concurrent-checkpoints is parsed, needs checkpoints, and must be 1 with unaligned ones", () => {
  assert.equal(parse("--checkpoint-interval", "100").maxConcurrentCheckpoints, undefined);
  assert.equal(
    parse("--checkpoint-interval", "100", "--max-concurrent-checkpoints", "3").maxConcurrentCheckpoints,
    3,
  );
  assert.throws(
    () => parse("--checkpoint-interval", "100", "--max-concurrent-checkpoints", "0"),
    /--max-concurrent-checkpoints/,
  );
  assert.throws(
    () => parse("--max-concurrent-checkpoints", "2"),
    /--max-concurrent-checkpoints needs --checkpoint-interval/,
  );
  assert.throws(
    () =>
      parse("--checkpoint-interval", "100", "--unaligned-checkpoints", "--max-concurrent-checkpoints", "2"),
    /--max-concurrent-checkpoints must be 1 with --unaligned-checkpoints/,
  );
});
