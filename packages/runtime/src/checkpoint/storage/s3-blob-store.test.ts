import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { InvalidBlobKeyError } from "./blob-key.ts";
import { blobStoreConformance } from "./blob-store-conformance.ts";
import { S3BlobStore } from "./s3-blob-store.ts";
import { S3_TEST_CREDENTIALS, type S3TestServer, startS3TestServer } from "./s3-test-server.ts";

let server: S3TestServer | undefined;
before(async () => {
  server = await startS3TestServer();
});
after(async () => {
  await server?.close();
});

/** The running server; a failed `before` already failed every test, this names why in each one. */
function s3(): S3TestServer {
  if (server === undefined)
    throw new Error("the s3rver test server did not start (see the before hook's error)");
  return server;
}

blobStoreConformance("S3BlobStore (s3rver)", () => s3().newStore());

test("listing and deleting page through results", async () => {
  const store = s3().newStore({ pageSize: 2 });
  const keys = ["k0", "k1", "k2", "k3", "k4"];
  for (const key of keys) await store.put(`p/${key}`, new Uint8Array([1]));
  assert.deepEqual(
    await store.list("p/"),
    keys.map((k) => `p/${k}`),
  );
  assert.equal(await store.deletePrefix("p/"), 5);
  assert.deepEqual(await store.list(), []);
});

test("stores under different prefixes of one bucket do not see each other", async () => {
  const a = s3().newStore({ prefix: "shared/a" });
  const b = s3().newStore({ prefix: "shared/ab" });
  await a.put("x", new Uint8Array([1]));
  await b.put("y", new Uint8Array([2]));
  assert.deepEqual(await a.list(), ["x"]);
  assert.deepEqual(await b.list(), ["y"]);
  assert.equal(await b.exists("x"), false);
  assert.equal(await b.deletePrefix("x"), 0);
  assert.deepEqual(await a.get("x"), new Uint8Array([1]));
});

test("a missing bucket is a failure naming bucket and key, never an absent object", async () => {
  const store = s3().newStore({ bucket: "no-such-bucket" });
  await assert.rejects(store.get("k"), /S3 get of "k" in s3:\/\/no-such-bucket\/.* failed: NoSuchBucket/);
  await assert.rejects(
    store.exists("k"),
    /S3 exists of "k" in s3:\/\/no-such-bucket\/.* failed: NoSuchBucket/,
  );
  await assert.rejects(store.list(), /NoSuchBucket/);
});

test("objects other tools put under the prefix with unusable names are not listed", async () => {
  const store = s3().newStore({ prefix: "foreign" });
  await store.put("mine", new Uint8Array([1]));
  const raw = new S3Client({
    endpoint: s3().endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
  });
  try {
    // A "folder" as S3 consoles create it, and names a file system could not hold.
    for (const key of ["foreign/folder/", "foreign/back\\slash", "foreign/.weir-tmp-x"]) {
      await raw.send(new PutObjectCommand({ Bucket: s3().bucket, Key: key, Body: "x" }));
    }
  } finally {
    raw.destroy();
  }
  assert.deepEqual(await store.list(), ["mine"]);
});

test("configuration is checked up front", async () => {
  assert.throws(() => new S3BlobStore({ bucket: "" }), /needs a bucket/);
  assert.throws(() => new S3BlobStore({ bucket: "b", prefix: "../x" }), InvalidBlobKeyError);
  assert.throws(() => new S3BlobStore({ bucket: "b", prefix: "x/" }), InvalidBlobKeyError);
  assert.throws(() => new S3BlobStore({ bucket: "b", pageSize: 0 }), /pageSize/);
  const store = new S3BlobStore({ bucket: "b", prefix: `${"p".repeat(200)}/${"q".repeat(200)}` });
  await assert.rejects(
    store.put(`${"k".repeat(250)}/${"k".repeat(250)}/${"k".repeat(200)}`, new Uint8Array()),
    /with the store prefix it is longer than 1024 bytes/,
  );
  await store.close();
});
