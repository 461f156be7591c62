/**
 * Types for the parts of `s3rver` (an S3-compatible test server, devDependency, ships no types)
 * that `s3-test-server.ts` uses. Keeps its loose JS API out of strict test code.
 */
declare module "s3rver" {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: { name: string }[];
  }

  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number; family: string }>;
    close(): Promise<void>;
  }
}
