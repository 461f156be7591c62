/**
 * `@weir/connector-kafka`: work in progress.
 * @module
 */
export {};
