/**
 * linkplan's core API: browser-safe, no Node built-ins (tsconfig.core.json compiles it with `types: []`, and a test
 * fails on any `node:` import or `process` here). Files, directory walks and archives read from disk are in the
 * Node entry, `linkplan/node`.
 */
export { inspectSource, isBinary } from './inspect.js';
export { MemorySource, type ByteSource } from './bytes/source.js';
export { MalformedError } from './bytes/errors.js';
export { sniff } from './formats/detect.js';
export type * from './facts/types.js';
export type * from './facts/elf.js';
export { SCHEMA_VERSION, type InspectReport } from './report/model.js';
export * from './plan/index.js';
export * from './audit/index.js';
export { renderVerifySarif } from './report/sarif.js';
export { renderVerifyJunit } from './report/junit.js';
export { renderVerifyGithub } from './report/github.js';
export { renderVerifyJson } from './report/verify-json.js';
