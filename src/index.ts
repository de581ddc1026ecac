/** linkplan's public API. Browser-safe except `inspectFile`/`inspectPaths`, which read from disk. */
export { inspectSource, isBinary } from './inspect.js';
export { MemorySource, type ByteSource } from './bytes/source.js';
export { MalformedError } from './bytes/errors.js';
export { sniff } from './formats/detect.js';
export type * from './facts/types.js';
export type * from './facts/elf.js';
export { SCHEMA_VERSION, type InspectReport } from './report/model.js';
export { inspectPaths } from './cli/files.js';
export * from './plan/index.js';
export { renderVerifySarif } from './report/sarif.js';
export { renderVerifyJunit } from './report/junit.js';
export { renderVerifyGithub } from './report/github.js';
export { renderVerifyJson } from './report/verify-json.js';
