/**
 * linkplan's Node entry (`linkplan/node`): what needs the file system — FileSource (positional reads over a file
 * descriptor), the directory walk by byte-exact names, and inspectPaths() over files and trees. Everything else is
 * the core entry's, re-exported here so one import serves a Node program.
 */
export * from '../index.js';
export { FileSource } from './file-source.js';
export { walk, type WalkEntry } from './walk.js';
export { inspectPaths } from './inspect-paths.js';
export { entries, type EntryOptions } from './entries.js';
export { nodeDecompressors } from './decompress.js';
export { DirSysroot } from './sysroot.js';
