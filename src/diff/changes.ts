/**
 * What changed in linkage between two builds of one binary: facts × facts → changes, as tagged data (prose is in
 * CHANGE_MESSAGES). Each change has a severity class, fixed per kind except where the direction decides it
 * (linkage, libc, CRT, dylib kind): see SEVERITY and docs/diff.md.
 */
import type { BinaryFacts, BinaryResult, ElfFacts, MachoFacts, MachoSlice, PeFacts } from '../facts/types.js';
import { compareVersions } from '../facts/versions.js';
import type { ChangeArgs, ChangeKind, ChangeSeverity, FloorName, HardeningFeature } from '../plan/model.js';

/** A change before the gate has looked at it (allowed / counts are the report's business). */
export interface RawChange<K extends ChangeKind = ChangeKind> {
  kind: K;
  severity: ChangeSeverity;
  slice?: string;
  subject: string | null;
  args: ChangeArgs[K];
}

/** The severity class of each kind; `varies`: the direction decides (severityOf). */
export const SEVERITY: { [K in ChangeKind]: ChangeSeverity | 'varies' } = {
  'binary-added': 'neutral', 'binary-removed': 'regression', 'binary-moved': 'neutral',
  'format-changed': 'regression', 'arch-changed': 'regression', 'type-changed': 'regression', 'linkage-changed': 'varies',
  'pie-lost': 'regression', 'pie-gained': 'improvement', 'interpreter-changed': 'varies', 'libc-changed': 'varies',
  'needed-added': 'regression', 'needed-removed': 'neutral', 'needed-reordered': 'neutral',
  'delay-import-added': 'regression', 'delay-import-removed': 'neutral', 'dylib-kind-changed': 'varies',
  'rpath-added': 'regression', 'rpath-removed': 'neutral', 'rpath-switched': 'neutral', 'rpath-reordered': 'varies',
  'soname-changed': 'regression', 'floor-raised': 'regression', 'floor-lowered': 'improvement',
  'platform-changed': 'regression', 'min-os-raised': 'regression', 'min-os-lowered': 'improvement',
  'sdk-changed': 'neutral', 'crt-changed': 'varies', 'hardening-lost': 'regression', 'hardening-gained': 'improvement',
  'slice-added': 'neutral', 'slice-removed': 'regression', unreadable: 'regression',
};

const direction = (d: number): ChangeSeverity => (d > 0 ? 'regression' : d < 0 ? 'improvement' : 'neutral');
/** How much a linkage asks of the target: static forms nothing, dynamic a loader and libraries, broken-static-pie cannot run. */
const LINKAGE_RANK: Record<string, number> = { static: 0, 'static-pie': 0, dynamic: 1, 'broken-static-pie': 2 };
/** How many runtime DLLs a CRT model needs on the target (msvc-debug: ones that are not redistributable at all). */
const CRT_RANK: Record<string, number> = {
  none: 0, 'msvc-static': 0, 'msvc-hybrid': 1, 'msvc-dynamic': 2, 'mingw-ucrt': 2, 'mingw-msvcrt': 2, 'legacy-msvcr': 2, 'msvc-debug': 3,
};
const REQUIRED_DYLIB = new Set(['load', 'reexport', 'upward']);

/** A search-path entry relative to the binary: where a bundled library is found. */
const RELATIVE_ENTRY = /^(?:\$ORIGIN|\$\{ORIGIN\}|@loader_path|@executable_path)(?:\/|$)/;

/** An entry not relative to the binary now comes before a relative one it used to follow (same entries, two orders). */
function bundledOvertaken(o: readonly string[], n: readonly string[]): boolean {
  const at = new Map(o.map((e, i) => [e, i]));
  return n.some((x, i) => !RELATIVE_ENTRY.test(x) && n.slice(i + 1).some((y) => RELATIVE_ENTRY.test(y) && at.get(y)! < at.get(x)!));
}

/** The severity of one change of a `varies` kind, from its direction. */
export function severityOf<K extends ChangeKind>(kind: K, args: ChangeArgs[K]): ChangeSeverity {
  const fixed = SEVERITY[kind];
  if (fixed !== 'varies') return fixed;
  const a = args as { old: string | null; new: string | null };
  switch (kind) {
    case 'linkage-changed': {
      const o = LINKAGE_RANK[a.old ?? ''], n = LINKAGE_RANK[a.new ?? ''];
      return o === undefined || n === undefined ? 'neutral' : direction(n - o);
    }
    // No interpreter now: a static build, nothing to find on the target. A new or another loader is a new target.
    case 'interpreter-changed': return a.new === null ? 'improvement' : 'regression';
    case 'libc-changed': return a.new === 'none' ? 'improvement' : a.old === 'unknown' || a.new === 'unknown' ? 'neutral' : 'regression';
    case 'crt-changed': {
      const o = CRT_RANK[a.old ?? ''], n = CRT_RANK[a.new ?? ''];
      return o === undefined || n === undefined ? 'neutral' : direction(n - o);
    }
    case 'rpath-reordered': {
      const r = args as ChangeArgs['rpath-reordered'];
      return bundledOvertaken(r.old, r.new) ? 'regression' : 'neutral';
    }
    case 'dylib-kind-changed': {
      const required = (k: string | null) => Number((k ?? '').split('+').some((x) => REQUIRED_DYLIB.has(x)));
      return direction(required(a.new) - required(a.old));
    }
    default: return 'neutral';
  }
}

export function change<K extends ChangeKind>(kind: K, args: ChangeArgs[K], subject: string | null, slice?: string): RawChange<K> {
  return { kind, severity: severityOf(kind, args), subject, args, ...(slice !== undefined ? { slice } : {}) };
}

// ------------------------------------------------------------------------------------------------ fingerprint

/** The linkage-relevant facts of a binary: what changes() compares, and nothing it does not (paths, offsets, dates). */
function view(f: BinaryFacts | MachoSlice): unknown {
  // Search paths in order, as searchPaths() compares them; an entry named twice is searched once.
  const common = [f.format, f.arch, f.type, f.linkage, f.pie, f.libc, f.interpreter, f.needed, unique(f.rpath), unique(f.runpath), f.soname];
  switch (f.format) {
    case 'elf': return [common, f.hardening, f.elf.floors];
    case 'pe': return [common, f.crt, f.delayImports.map((d) => d.dll), f.dllName, f.dllCharacteristics];
    case 'macho': return [common, f.dylibs.map((d) => [d.name, d.kind]), f.installName, f.minOS, f.platform, f.macho.sdk ?? null,
      (f.slices ?? []).map((s) => [s.macho.archName, view(s)])];
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** Equal for two builds of a binary that differ in nothing diff reports: how a moved binary is recognised. */
export function fingerprint(r: BinaryResult): string {
  return r.error !== null ? `error:${r.error.code}` : JSON.stringify(view(r));
}

// ------------------------------------------------------------------------------------------------ comparison

type Out = (c: RawChange) => void;

/** Names added, removed and reordered between two ordered lists (`key` folds case for PE). */
function lists(o: readonly string[], n: readonly string[], key: (s: string) => string, field: string, emit: Out, slice?: string) {
  const ok = new Set(o.map(key)), nk = new Set(n.map(key));
  n.forEach((name, i) => { if (!ok.has(key(name))) emit(change('needed-added', { field, name, position: i }, name, slice)); });
  for (const name of o) if (!nk.has(key(name))) emit(change('needed-removed', { field, name }, name, slice));
  const co = o.filter((x) => nk.has(key(x))), cn = n.filter((x) => ok.has(key(x)));
  if (co.map(key).join('\0') !== cn.map(key).join('\0')) emit(change('needed-reordered', { field, old: co, new: cn }, null, slice));
}

const FLOOR_PREFIX: Record<FloorName, string> = { glibc: 'GLIBC_', glibcxx: 'GLIBCXX_', cxxabi: 'CXXABI_', gcc: 'GCC_' };

/** The version need (vna_name and its vn_file) that sets a floor. */
function floorSource(f: ElfFacts, floor: FloorName, v: string | null): { version: string | null; library: string | null } {
  if (v === null) return { version: null, library: null };
  const name = `${FLOOR_PREFIX[floor]}${v}`;
  for (const need of f.elf.versionNeeds ?? []) if (need.versions.includes(name)) return { version: name, library: need.file };
  return { version: name, library: null };
}

const RELRO_RANK = { none: 0, partial: 1, full: 2 } as const;

function hardening(feature: HardeningFeature, o: string | boolean, n: string | boolean, better: number, emit: Out, slice?: string) {
  if (o === n || better === 0) return;
  const args = { feature, old: o, new: n };
  emit(better > 0 ? change('hardening-gained', args, feature, slice) : change('hardening-lost', args, feature, slice));
}

function compareElf(o: ElfFacts, n: ElfFacts, emit: Out) {
  lists(o.needed, n.needed, (s) => s, 'DT_NEEDED', emit);
  searchPaths(o, n, emit);
  if (o.soname !== n.soname) emit(change('soname-changed', { field: 'DT_SONAME', old: o.soname, new: n.soname }, n.soname ?? o.soname));
  for (const floor of ['glibc', 'glibcxx', 'cxxabi', 'gcc'] as const) {
    const a = o.elf.floors?.[floor] ?? null, b = n.elf.floors?.[floor] ?? null;
    if (a === b) continue;
    const raised = b !== null && (a === null || compareVersions(b, a) > 0);
    const src = raised ? floorSource(n, floor, b) : floorSource(o, floor, a);
    emit(change(raised ? 'floor-raised' : 'floor-lowered', { floor, old: a, new: b, ...src }, floor));
  }
  const ho = o.hardening, hn = n.hardening;
  hardening('RELRO', ho.relro, hn.relro, RELRO_RANK[hn.relro] - RELRO_RANK[ho.relro], emit);
  hardening('BIND_NOW', ho.bindNow, hn.bindNow, Number(hn.bindNow) - Number(ho.bindNow), emit);
  hardening('NX', ho.nxStack, hn.nxStack, Number(hn.nxStack) - Number(ho.nxStack), emit);
  hardening('TEXTREL', ho.textrel, hn.textrel, Number(ho.textrel) - Number(hn.textrel), emit);
}

const unique = (xs: readonly string[]) => [...new Set(xs)];

/**
 * DT_RPATH / DT_RUNPATH entries (LC_RPATH for Mach-O): an entry in both builds under another tag is a switch (one
 * change per pair of tags, naming the entries), an entry in one build only is added or removed, and the entries a
 * tag has in both builds in another order are reordered: the first directory that has a library wins.
 */
function searchPaths(o: BinaryFacts | MachoSlice, n: BinaryFacts | MachoSlice, emit: Out, slice?: string) {
  const tags = (f: BinaryFacts | MachoSlice) => {
    const m = new Map<string, string>();
    if (f.format === 'macho') for (const e of f.rpath) m.set(e, 'LC_RPATH');
    else {
      for (const e of f.runpath) m.set(e, 'DT_RUNPATH');
      for (const e of f.rpath) m.set(e, 'DT_RPATH');
    }
    return m;
  };
  const to = tags(o), tn = tags(n);
  const switched = new Map<string, string[]>();
  for (const [e, t] of tn) {
    const was = to.get(e);
    if (was === undefined) emit(change('rpath-added', { field: t, entry: e }, e, slice));
    else if (was !== t) {
      const k = `${was}\0${t}`;
      switched.set(k, [...(switched.get(k) ?? []), e]);
    }
  }
  for (const [e, t] of to) if (!tn.has(e)) emit(change('rpath-removed', { field: t, entry: e }, e, slice));
  for (const [k, entries] of switched) {
    const [was, now] = k.split('\0');
    emit(change('rpath-switched', { old: was, new: now, entries }, now, slice));
  }
  const byTag: [string, readonly string[], readonly string[]][] = o.format === 'macho' || n.format === 'macho'
    ? [['LC_RPATH', o.rpath, n.rpath]]
    : [['DT_RUNPATH', o.runpath, n.runpath], ['DT_RPATH', o.rpath, n.rpath]];
  for (const [field, a, b] of byTag) {
    // The entries under this tag in both builds (as tags() tells them: one under both tags is DT_RPATH's).
    const both = (e: string) => to.get(e) === field && tn.get(e) === field;
    const co = unique(a).filter(both), cn = unique(b).filter(both);
    if (co.join('\0') !== cn.join('\0')) emit(change('rpath-reordered', { field, old: co, new: cn }, field, slice));
  }
}

const lower = (s: string) => s.toLowerCase();
const PE_HARDENING: readonly HardeningFeature[] = ['NX', 'DYNAMIC_BASE', 'HIGH_ENTROPY_VA', 'GUARD_CF'];
const PE_FLAG: Partial<Record<HardeningFeature, string>> = { NX: 'NX_COMPAT' };

function comparePe(o: PeFacts, n: PeFacts, emit: Out) {
  lists(o.needed, n.needed, lower, 'import', emit);
  const od = new Set(o.delayImports.map((d) => lower(d.dll))), nd = new Set(n.delayImports.map((d) => lower(d.dll)));
  for (const d of n.delayImports) if (!od.has(lower(d.dll))) emit(change('delay-import-added', { name: d.dll }, d.dll));
  for (const d of o.delayImports) if (!nd.has(lower(d.dll))) emit(change('delay-import-removed', { name: d.dll }, d.dll));
  if ((o.dllName ?? '').toLowerCase() !== (n.dllName ?? '').toLowerCase()) {
    emit(change('soname-changed', { field: 'export Name', old: o.dllName, new: n.dllName }, n.dllName ?? o.dllName));
  }
  if (o.crt !== n.crt) emit(change('crt-changed', { old: o.crt, new: n.crt }, n.crt));
  for (const feature of PE_HARDENING) {
    const flag = PE_FLAG[feature] ?? feature;
    const a = o.dllCharacteristics.includes(flag), b = n.dllCharacteristics.includes(flag);
    hardening(feature, a, b, Number(b) - Number(a), emit);
  }
}

/** One Mach-O file or slice against another. */
function compareMachoThin(o: MachoFacts | MachoSlice, n: MachoFacts | MachoSlice, emit: Out, slice?: string) {
  const field = (name: string, f: MachoFacts | MachoSlice) => f.dylibs.find((d) => d.name === name)?.cmd ?? 'LC_LOAD_DYLIB';
  const ok = new Set(o.needed), nk = new Set(n.needed);
  n.needed.forEach((name, i) => { if (!ok.has(name)) emit(change('needed-added', { field: field(name, n), name, position: i }, name, slice)); });
  for (const name of o.needed) if (!nk.has(name)) emit(change('needed-removed', { field: field(name, o), name }, name, slice));
  const co = o.needed.filter((x) => nk.has(x)), cn = n.needed.filter((x) => ok.has(x));
  if (co.join('\0') !== cn.join('\0')) emit(change('needed-reordered', { field: 'LC_*_DYLIB', old: co, new: cn }, null, slice));
  // A dylib may be named twice (LC_LOAD_DYLIB and LC_REEXPORT_DYLIB of one library): its kinds are compared as a set.
  const kinds = (f: MachoFacts | MachoSlice) => {
    const m = new Map<string, Set<string>>();
    for (const d of f.dylibs) m.set(d.name, (m.get(d.name) ?? new Set()).add(d.kind));
    return new Map([...m].map(([k, v]) => [k, [...v].sort().join('+')]));
  };
  const ko = kinds(o);
  for (const [name, k] of kinds(n)) {
    const was = ko.get(name);
    if (was !== undefined && was !== k) emit(change('dylib-kind-changed', { name, old: was, new: k }, name, slice));
  }
  searchPaths(o, n, emit, slice);
  if (o.installName !== n.installName) {
    emit(change('soname-changed', { field: 'LC_ID_DYLIB', old: o.installName, new: n.installName }, n.installName ?? o.installName, slice));
  }
  // Versions of two platforms (macOS 14 and iOS 14) say nothing of each other: another platform is its own change.
  if (o.platform !== null && n.platform !== null && o.platform !== n.platform) {
    emit(change('platform-changed', { old: o.platform, new: n.platform, oldMinOS: o.minOS, newMinOS: n.minOS }, n.platform, slice));
  } else if (o.minOS !== n.minOS) {
    const raised = n.minOS !== null && (o.minOS === null || compareVersions(n.minOS, o.minOS) > 0);
    const platform = n.platform ?? o.platform;
    emit(change(raised ? 'min-os-raised' : 'min-os-lowered', { platform, old: o.minOS, new: n.minOS }, platform, slice));
  }
  const so = o.macho?.sdk ?? null, sn = n.macho?.sdk ?? null;
  if (so !== sn) emit(change('sdk-changed', { old: so, new: sn }, sn, slice));
}

/** The slices of a Mach-O file by Apple arch name; a thin file is its own one slice. */
function slicesOf(f: MachoFacts): Map<string, MachoFacts | MachoSlice> {
  if (f.slices) return new Map(f.slices.map((s) => [s.macho.archName, s]));
  return new Map([[archName(f), f]]);
}

/** An arch as diff names it: a Mach-O's by its Apple name (arm64, arm64e), as its slices are; others as linkplan does. */
const archName = (f: BinaryFacts | MachoSlice) => (f.format === 'macho' ? f.macho?.archName ?? f.arch : f.arch);

/** The facts every format shares, then the format's own. */
function compareCommon(o: BinaryFacts | MachoSlice, n: BinaryFacts | MachoSlice, emit: Out, slice?: string, withArch = true) {
  if (withArch && o.arch !== n.arch) {
    const was = archName(o), now = archName(n);
    emit(change('arch-changed', { old: was, new: now }, now, slice));
  }
  if (o.type !== n.type) emit(change('type-changed', { old: o.type, new: n.type }, n.type, slice));
  if (o.linkage !== n.linkage) emit(change('linkage-changed', { old: o.linkage, new: n.linkage }, n.linkage, slice));
  if (o.pie !== null && n.pie !== null && o.pie !== n.pie) {
    emit(n.pie ? change('pie-gained', { type: n.type }, null, slice) : change('pie-lost', { type: n.type }, null, slice));
  }
  if (o.interpreter !== n.interpreter) emit(change('interpreter-changed', { old: o.interpreter, new: n.interpreter }, n.interpreter ?? o.interpreter, slice));
  if (o.libc !== n.libc) emit(change('libc-changed', { old: o.libc, new: n.libc }, n.libc, slice));
}

/** Every change from `o` to `n`, two builds of one binary. Universal Mach-O files are compared slice by slice. */
export function compareFacts(o: BinaryFacts, n: BinaryFacts): RawChange[] {
  const out: RawChange[] = [];
  const emit: Out = (c) => out.push(c);
  if (o.format !== n.format) {
    emit(change('format-changed', { old: o.format, new: n.format }, n.format));
    return out;
  }
  if (o.format === 'macho' && n.format === 'macho' && (o.slices || n.slices)) {
    const so = slicesOf(o), sn = slicesOf(n);
    for (const [arch, s] of sn) {
      const was = so.get(arch);
      if (!was) { emit(change('slice-added', { arch }, arch)); continue; }
      compareCommon(was, s, emit, arch, false);
      compareMachoThin(was, s, emit, arch);
    }
    for (const arch of so.keys()) if (!sn.has(arch)) emit(change('slice-removed', { arch }, arch));
    return out;
  }
  compareCommon(o, n, emit);
  switch (o.format) {
    case 'elf': compareElf(o, n as ElfFacts, emit); break;
    case 'pe': comparePe(o, n as PeFacts, emit); break;
    case 'macho': compareMachoThin(o, n as MachoFacts, emit); break;
    default: {
      const never: never = o;
      return never;
    }
  }
  return out;
}
