/**
 * Test support: a real S3-compatible server (s3rver) on 127.0.0.1, an ephemeral port and a temp
 * directory, so the S3 store is tested over HTTP against real S3 semantics rather than mocks.
 *
 * Invariant: if the server cannot be loaded or started, `startS3TestServer` rejects with a message
 * saying so; S3 tests then fail, they are never skipped.
 * @module
 */

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3BlobStore, type S3BlobStoreOptions } from "./s3-blob-store.ts";

export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  /** A store in the test bucket under a prefix no other call gets, so tests cannot see each other. */
  newStore(options?: Partial<S3BlobStoreOptions>): S3BlobStore;
  close(): Promise<void>;
}

/** s3rver accepts any credentials; these are its documented defaults. */
export const S3_TEST_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export async function startS3TestServer(): Promise<S3TestServer> {
  let S3rver: typeof import("s3rver").default;
  try {
    S3rver = (await import("s3rver")).default;
  } catch (error) {
    throw new Error(
      "the S3 tests need the s3rver devDependency of @weir/runtime (run `npm install` at the repository root)",
      { cause: error },
    );
  }
  const directory = await mkdtemp(join(tmpdir(), "weir-s3rver-"));
  const bucket = "weir-test";
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(`could not start s3rver on 127.0.0.1 in ${directory}`, { cause: error });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const stores: S3BlobStore[] = [];
  let nextPrefix = 0;
  return {
    endpoint,
    bucket,
    newStore(options = {}) {
      const store = new S3BlobStore({
        bucket,
        endpoint,
        credentials: S3_TEST_CREDENTIALS,
        prefix: `test-${nextPrefix++}`,
        ...options,
      });
      stores.push(store);
      return store;
    },
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
