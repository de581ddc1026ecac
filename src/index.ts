/**
 * linkplan's core API: browser-safe, no Node built-ins (tsconfig.core.json compiles it with `types: []`, and a test
 * fails on any `node:` import or `process` here). Files, directory walks and archives read from disk are in the
 * Node entry, `linkplan/node`.
 */
export { collectReport, inspectEntries, inspectSource, isBinary, type InspectHandlers } from './inspect.js';
export { MemorySource, type ByteSource } from './bytes/source.js';
export { MalformedError } from './bytes/errors.js';
export { sniff } from './formats/detect.js';
export type * from './facts/types.js';
export type * from './facts/elf.js';
export { SCHEMA_VERSION, type InspectReport } from './report/model.js';
export * from './plan/index.js';
export * from './audit/index.js';
export { startAudit, type AuditRun } from './audit/run.js';
export { planResolves, startEvaluation, type Evaluation } from './plan/evaluate.js';
// Archives from bytes or streams: the caller brings the decompressors (node:zlib, DecompressionStream…).
export { walkArchive, type ArchiveInput, type Decompressors, type Entry, type WalkOptions } from './archive/walk.js';
export { isPackage, sniffArchive, type ArchiveKind } from './archive/detect.js';
export { archiveLimits, type ArchiveLimits } from './archive/limits.js';
export { ArchiveError } from './archive/errors.js';
export type { Chunks } from './archive/chunks.js';
export { renderInspectJson } from './report/json.js';
export { renderInspectTable } from './report/table.js';
export { renderVerifyTable } from './report/verify-table.js';
export { renderVerifySarif } from './report/sarif.js';
export { renderVerifyJunit } from './report/junit.js';
export { renderVerifyGithub } from './report/github.js';
export { renderVerifyJson } from './report/verify-json.js';
export * from './diff/index.js';
export { diffJsonSchema } from './diff/schema.js';
export { renderDiffJson } from './report/diff-json.js';
export { renderDiffTable } from './report/diff-table.js';
export { renderDiffMarkdown } from './report/diff-markdown.js';
export { renderDiffGithub } from './report/diff-github.js';
// Resolution: dependencies found the way each loader would, over a Sysroot (node/: DirSysroot; here: MemorySysroot).
export {
  LOADER_IMPLS, LOADERS, MemorySysroot, defaultDirs, loaderFor, resolveBinary, type DepKind, type DepStatus, type FindingCode,
  type LoaderName, type MemoryNode, type Provenance, type ResolveFinding, type ResolveOptions, type ResolveResult, type ResolvedDep,
  type Step, type StepCode, type Sysroot,
} from './resolve/index.js';
export { MountedSysroot, type Mount } from './resolve/mounted.js';
export { ShippedTrees, placeOf, type ShippedInput, type ShippedResolveOptions } from './resolve/shipped.js';
export { describeResolveFinding, describeStep } from './resolve/messages.js';
export { renderResolveDot, renderResolveJson, renderResolveTree } from './report/resolve.js';
// What the web inspector (web/) needs besides the above: the browser's decompressors, the summary row and block of
// a binary as the table prints them, the markdown report, the diff's words, and plan init's target list.
export { chunksOf, webDecompressors } from './archive/decompress.js';
export { ARCHIVE_SNIFF_BYTES } from './archive/detect.js';
export { checkRange } from './bytes/source.js';
export { HEAD as INSPECT_COLUMNS, blockRows as inspectBlockRows, linkNote, rowCells as inspectRowCells } from './report/table.js';
export { ARCHIVE_NOTES } from './plan/messages.js';
export { detailRows } from './report/details.js';
export type { Cell } from './report/grid.js';
export { visible } from './report/text.js';
export { renderVerifyMarkdown } from './report/verify-markdown.js';
export { RUST_TARGETS } from './plan/targets.js';
export { parseTarget } from './plan/init.js';
export { failed, isFailed } from './facts/types.js';
export { changeLine, counts as diffCounts, MARK as CHANGE_MARK, verdict as diffVerdict } from './report/diff-words.js';
