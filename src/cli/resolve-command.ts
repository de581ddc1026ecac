import { realpathSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath, sep } from 'node:path';
import { ARCHIVE_SNIFF_BYTES, sniffArchive } from '../archive/detect.js';
import { plausible, sniff } from '../formats/detect.js';
import { inspectSource } from '../inspect.js';
import { FileSource } from '../node/file-source.js';
import { DirSysroot } from '../node/sysroot.js';
import { errMessage, walk } from '../node/walk.js';
import { renderResolveDot, renderResolveJson, renderResolveTree } from '../report/resolve.js';
import { resolveBinary } from '../resolve/index.js';
import { LOADERS, type LoaderName, type ResolveResult, type Sysroot } from '../resolve/model.js';
import { MountedSysroot } from '../resolve/mounted.js';
import { ShippedTrees } from '../resolve/shipped.js';
import { feedShipped, isPackageFile, openRoot, placementLines } from '../node/shipped.js';
import type { Decompressors } from '../archive/walk.js';
import { defaultWorkers } from './jobs.js';
import { EXIT_ERROR, EXIT_OK, EXIT_VIOLATED, emit, errorLine, version } from './output.js';

export interface ResolveCliOptions {
  root?: string;
  env?: string[];
  loader?: string;
  format?: string;
  why?: boolean;
}

type Kind = 'binary' | 'archive' | 'other';

const NO_ROOT = 'none needed (system libraries by table, the rest from its own tree)';

function kindOf(file: string, named: boolean): Kind {
  let src: FileSource;
  try { src = FileSource.open(file); } catch { return 'other'; }
  try {
    const head = src.read(0, Math.min(src.size, ARCHIVE_SNIFF_BYTES));
    const fmt = sniff(head);
    if (fmt !== null) return named || plausible(src, fmt) ? 'binary' : 'other';
    return sniffArchive(head) !== null ? 'archive' : 'other';
  } finally {
    src.close();
  }
}

/** resolve: each binary's dependencies as its loader would find them, from the bytes and a root (nothing is run). */
export async function runResolve(paths: string[], opts: ResolveCliOptions): Promise<number> {
  // Archives' xz, zstd and bzip2 (inputs and --root) decoded on a thread of their own, as inspect's default does.
  const workers = defaultWorkers();
  try {
    return await resolveAll(paths, opts, workers.decompressors());
  } finally {
    await workers.close();
  }
}

async function resolveAll(paths: string[], opts: ResolveCliOptions, decompressors: Decompressors | undefined): Promise<number> {
  const format = opts.format ?? 'tree';
  if (!['tree', 'json', 'dot'].includes(format)) {
    errorLine(`unknown --format '${format}' for resolve (expected tree, json or dot)`);
    return EXIT_ERROR;
  }
  if (opts.loader !== undefined && !LOADERS.includes(opts.loader as LoaderName)) {
    errorLine(`unknown --loader '${opts.loader}' (expected ${LOADERS.join(', ')})`);
    return EXIT_ERROR;
  }
  const env: Record<string, string> = {};
  for (const e of opts.env ?? []) {
    const i = e.indexOf('=');
    if (i <= 0) { errorLine(`--env expects NAME=VALUE, got '${e}'`); return EXIT_ERROR; }
    env[e.slice(0, i)] = e.slice(i + 1);
  }
  // An archive given as --root: its members in memory (facts, links, the loaders' config files), at its own `/`.
  const root = await openRoot(opts.root, { base: new DirSysroot('/'), dir: '/', label: '/ of this machine' }, decompressors);
  if ('error' in root) { errorLine(root.error); return EXIT_ERROR; }
  for (const l of root.lines) errorLine(l);
  const rootDir = root.dir ?? '/';
  const archiveRoot = root.dir === null ? root.base : null;
  const { base, label: rootLabel } = root;
  const results: ResolveResult[] = [];
  let failures = 0;
  const common = { inspect: inspectSource, loader: opts.loader as LoaderName | undefined, env, rootLabel };
  /** An archive (named, or found in a tree): every binary in it resolved inside it, and against the root. */
  const resolveArchive = async (host: string, shown: string) => {
    const trees = new ShippedTrees([{ label: shown, at: `${host}!`, ...(isPackageFile(host) ? { package: true as const } : {}) }]);
    const fed = await feedShipped(trees, 0, shown, false, decompressors);
    const lines = placementLines(trees, fed, shown, {
      unplaced: (p) => `${p}: not resolved (its name leaves the archive)`,
      escape: (p) => `${p}: a link out of the archive, resolved inside it`,
    });
    for (const l of lines) errorLine(l);
    trees.replay({ base, ...common }, (r, _inner, _i, resolve) => {
      if (r.error !== null) { errorLine(`${r.path}: ${r.error.message}`); failures++; return; }
      for (const x of resolve()) {
        if (x.error) { failures++; errorLine(`${r.path}: ${x.error.message}`); }
        results.push(x);
      }
    });
  };
  for (const input of paths) {
    const abs = resolvePath(input);
    let isDir: boolean;
    try { isDir = statSync(abs).isDirectory(); } catch (e) { errorLine(`${input}: ${errMessage(e)}`); failures++; continue; }
    const inRoot = archiveRoot === null && (rootDir === '/' || abs === rootDir || abs.startsWith(rootDir + sep));
    const treeHost = isDir ? abs : dirname(abs);
    // Its folder by the path given and by its real path: named through a linked folder (lnk/app, lnk -> real/deep),
    // the links are followed to the real one, which must be this machine's too.
    let realHost = treeHost;
    try { realHost = realpathSync.native(treeHost); } catch { /* kept as given */ }
    const dirSys = new DirSysroot(rootDir, inRoot ? [] : realHost === treeHost ? [treeHost] : [treeHost, realHost]);
    // Under an archive root, the input's own tree is mounted from disk at its own path, confined to that tree.
    const sys: Sysroot = archiveRoot ? new MountedSysroot(archiveRoot, [{ at: treeHost, sysroot: new DirSysroot(treeHost) }]) : dirSys;
    const ns = (h: string) => (archiveRoot ? h : dirSys.inRoot(h) ?? h);
    if (!inRoot && archiveRoot === null) errorLine(`${input}: outside --root; read from this machine at its own path`);
    const files: { host: string; shown: string; named: boolean }[] = [];
    if (isDir) {
      for (const e of walk([input])) {
        if (e.kind === 'file' && typeof e.fsPath === 'string') files.push({ host: resolvePath(e.fsPath), shown: e.path, named: false });
      }
    } else files.push({ host: abs, shown: input, named: true });
    for (const f of files) {
      const k = kindOf(f.host, f.named);
      if (k === 'archive') {
        await resolveArchive(f.host, f.shown);
        continue;
      }
      if (k !== 'binary') {
        if (f.named) { errorLine(`${f.shown}: not an ELF, PE or Mach-O file`); failures++; }
        continue;
      }
      const rs = resolveBinary(ns(f.host), { sysroot: sys, tree: ns(treeHost), ...common });
      for (const r of rs) {
        r.path = f.shown;
        if (r.error) { failures++; errorLine(`${f.shown}: ${r.error.message}`); }
        results.push(r);
      }
    }
  }
  // Mach-O and PE system libraries come from the loaders' tables, not from a root.
  for (const r of results) if (opts.root === undefined && (r.loader === 'dyld' || r.loader === 'windows')) r.root = NO_ROOT;
  if (format === 'json') await emit(renderResolveJson(results, version()));
  else if (format === 'dot') await emit(renderResolveDot(results));
  else for (const r of results) await emit(renderResolveTree(r, { why: opts.why }));
  if (failures) return EXIT_ERROR;
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_VIOLATED : EXIT_OK;
}


