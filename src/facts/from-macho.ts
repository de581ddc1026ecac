import type { MachoFile, FatFile } from '../formats/macho/index.js';
import {
  CPU_TYPE_ARM64, DYLIB_LOAD_KINDS, LC_NAMES, MH_BUNDLE, MH_CORE, MH_DSYM, MH_DYLDLINK, MH_DYLIB, MH_DYLIB_STUB,
  MH_DYLINKER, MH_EXECUTE, MH_FILETYPE_NAMES, MH_FLAGS, MH_KEXT_BUNDLE, MH_OBJECT, MH_PIE, PLATFORMS, TOOLS,
  VERSION_MIN_PLATFORM, cpuNames, flagNames,
} from '../formats/macho/constants.js';
import type { MachoDetails, MachoDylib, MachoDylibClass, MachoFatArch, MachoLinkageSummary } from './macho.js';
import type { BinaryType, Evidence, Libc, Linkage, MachoFacts, MachoSlice, MachoSliceField, Warning } from './types.js';

import { leadsTo } from './paths.js';

const ev = (field: string, value: Evidence['value']): Evidence => ({ field, value });
const LIBSYSTEM = '/usr/lib/libSystem.B.dylib';

/** dylib.current_version / compatibility_version: packed xxxx.yy.zz, printed X.Y.Z as otool does. */
export function dylibVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** OS and SDK versions (same packing): X.Y, or X.Y.Z when the patch level is set (otool's style). */
export function osVersion(v: number): string {
  const p = v & 0xff;
  return `${v >>> 16}.${(v >>> 8) & 0xff}${p ? `.${p}` : ''}`;
}

/**
 * Where an install name points (facts/macho.ts MachoDylibClass). An absolute name is classed where it leads, `..`
 * applied (`/usr/lib/../../Users/x.dylib` loads from /Users, not from Apple's /usr/lib).
 */
export function classifyDylib(install: string): MachoDylibClass {
  const name = leadsTo(install);
  if (name.startsWith('/usr/lib/') || name.startsWith('/System/Library/')) return 'apple-system';
  if (name.startsWith('/opt/homebrew/') || name.startsWith('/usr/local/Cellar/') || name.startsWith('/usr/local/opt/')) return 'homebrew';
  if (name.startsWith('@rpath/') || name.startsWith('@loader_path/') || name.startsWith('@executable_path/')) return 'relative';
  return 'absolute-other';
}

/** The linkage summary and the dylibs it rests on. */
export function summarize(dylibs: Pick<MachoDylib, 'name' | 'cmd' | 'class'>[]): { summary: MachoLinkageSummary; evidence: Evidence[] } {
  const of = (c: MachoDylibClass) => dylibs.filter((d) => d.class === c).map((d) => ev(d.cmd, d.name));
  if (dylibs.length === 0) return { summary: 'none', evidence: [ev('dylib load commands', 0)] };
  const hb = of('homebrew');
  if (hb.length) return { summary: 'homebrew', evidence: hb };
  const abs = of('absolute-other');
  if (abs.length) return { summary: 'absolute-other', evidence: abs };
  const rel = of('relative');
  if (rel.length) return { summary: 'bundled', evidence: rel };
  return { summary: 'apple-only', evidence: of('apple-system') };
}

function binaryType(filetype: number): BinaryType {
  switch (filetype) {
    case MH_EXECUTE: return 'executable';
    case MH_DYLIB: case MH_DYLIB_STUB: return 'shared-library';
    case MH_BUNDLE: case MH_KEXT_BUNDLE: return 'bundle';
    case MH_OBJECT: return 'relocatable';
    case MH_DYLINKER: return 'dylinker';
    case MH_CORE: return 'core';
    case MH_DSYM: return 'debug-info';
    default: return 'other';
  }
}

/** Facts of one thin image. */
export function machoFacts(path: string, f: MachoFile): MachoFacts {
  const h = f.header;
  const lc = f.lc;
  const cpu = cpuNames(h.cputype, h.cpusubtype);
  const filetype = MH_FILETYPE_NAMES[h.filetype] ?? `MH_${h.filetype}`;
  const flags = flagNames(h.flags, MH_FLAGS);
  const warnings: Warning[] = [...f.warnings];

  const dylibs: MachoDylib[] = lc.dylibs.map((d) => ({
    name: d.name, kind: DYLIB_LOAD_KINDS[d.cmd], cmd: LC_NAMES[d.cmd], class: classifyDylib(d.name),
    currentVersion: dylibVersion(d.currentVersion), compatibilityVersion: dylibVersion(d.compatibilityVersion),
  }));
  for (const d of dylibs) {
    if (d.class === 'absolute-other') {
      warnings.push({
        code: 'macho.absolute-dylib',
        detail: `${d.cmd} ${d.name} is an absolute path outside the system and Homebrew locations (a build-machine path?): ` +
          'it will not exist where the binary ships',
      });
    }
  }

  const type = binaryType(h.filetype);
  const typeEv = [ev('filetype', filetype)];

  let linkage: Linkage | null = null;
  const linkEv: Evidence[] = [
    ev('filetype', filetype), ev('LC_LOAD_DYLINKER', lc.dylinker), ev('dylib load commands', dylibs.length),
    ev('MH_DYLDLINK', (h.flags & MH_DYLDLINK) !== 0),
  ];
  if (type === 'shared-library' || type === 'bundle') linkage = 'dynamic';
  else if (type === 'executable' || type === 'dylinker' || type === 'other') {
    linkage = dylibs.length > 0 || lc.dylinker !== null ? 'dynamic' : 'static';
    if (type === 'executable' && dylibs.length > 0 && lc.dylinker === null) {
      warnings.push({
        code: 'macho.dylibs-without-dylinker',
        detail: `no LC_LOAD_DYLINKER, yet the executable loads ${dylibs.map((d) => d.name).join(', ')}: the kernel will not start dyld to load them`,
      });
    }
  }

  const pie = type === 'executable' ? (h.flags & MH_PIE) !== 0 : null;
  const pieEv = pie === null ? [] : [ev('MH_PIE', pie)];

  const libc: Libc = dylibs.some((d) => d.name === LIBSYSTEM) ? 'libsystem' : 'unknown';
  const libcEv = libc === 'libsystem' ? [ev(dylibs.find((d) => d.name === LIBSYSTEM)!.cmd, LIBSYSTEM)] : [];

  const buildVersions = lc.buildVersions.map((b) => ({
    platform: PLATFORMS[b.platform]?.[1] ?? `platform${b.platform}`, minos: osVersion(b.minos), sdk: osVersion(b.sdk),
    tools: b.tools.map((t) => ({ tool: TOOLS[t.tool] ?? `tool${t.tool}`, version: osVersion(t.version) })),
  }));
  const versionMins = lc.versionMins.map((v) => ({
    cmd: LC_NAMES[v.cmd], platform: VERSION_MIN_PLATFORM[v.cmd], version: osVersion(v.version), sdk: osVersion(v.sdk),
  }));
  // LC_BUILD_VERSION superseded LC_VERSION_MIN_*; a zippered (macOS + Mac Catalyst) image has two build versions:
  // the first is the one the image was linked for.
  let minOS: string | null = null, platform: string | null = null, sdk: string | null = null;
  const minEv: Evidence[] = [];
  if (buildVersions.length) {
    ({ minos: minOS, platform, sdk } = buildVersions[0]);
    minEv.push(ev('LC_BUILD_VERSION.platform', platform), ev('LC_BUILD_VERSION.minos', minOS));
  } else if (versionMins.length) {
    ({ version: minOS, platform, sdk } = versionMins[0]);
    minEv.push(ev(`${versionMins[0].cmd}.version`, minOS));
  }

  const summary = summarize(dylibs);
  const id = lc.idDylib;
  const macho: MachoDetails = {
    magic: h.magic, filetype, cputype: cpu.cputype, cpusubtype: cpu.cpusubtype, archName: cpu.appleArch, flags,
    ncmds: h.ncmds, sizeofcmds: h.sizeofcmds, loadCommands: lc.cmds.map((c) => LC_NAMES[c] ?? `LC_0x${c.toString(16)}`),
    segments: lc.segments,
    idDylib: id ? { name: id.name, currentVersion: dylibVersion(id.currentVersion), compatibilityVersion: dylibVersion(id.compatibilityVersion) } : null,
    dylinker: lc.dylinker, dyldEnvironment: lc.dyldEnvironment, uuid: lc.uuid, main: lc.main, unixThread: lc.unixThread,
    buildVersions, versionMins, sdk, codeSignature: lc.codeSignature, chainedFixups: lc.chainedFixups !== null,
    dyldInfo: lc.dyldInfo, exportsTrie: lc.exportsTrie, encrypted: lc.cryptid === null ? null : lc.cryptid !== 0,
    linkageSummary: summary.summary, fat: null, dylibUnion: null,
  };
  return {
    path, format: 'macho',
    // arm64 is "aarch64" in the vocabulary shared with ELF and PE; arm64e & co. stay in macho.archName.
    arch: h.cputype === CPU_TYPE_ARM64 ? 'aarch64' : cpu.arch,
    bits: h.is64 ? 64 : 32, endian: h.le ? 'little' : 'big',
    type, linkage, pie, libc, interpreter: lc.dylinker, needed: dylibs.map((d) => d.name), rpath: [...lc.rpaths],
    runpath: [], soname: id?.name ?? null,
    dylibs, rpaths: [...lc.rpaths], installName: id?.name ?? null, minOS, platform, slices: null,
    evidence: {
      type: typeEv, linkage: linkEv, pie: pieEv, libc: libcEv, linkageSummary: summary.evidence, minOS: minEv,
      installName: id ? [ev('LC_ID_DYLIB', id.name)] : [],
    },
    warnings, error: null, macho,
  };
}

/**
 * "only in x86_64: a, b; only in arm64: c", or a note that only the order differs; null when all lists agree.
 * Linear in the entries: a universal file may carry 64 slices of 65,536 load commands each.
 */
function listDifference(labels: string[], lists: string[][]): string | null {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (lists.every((l) => same(l, lists[0]))) return null;
  // How many lists hold each entry (each list counted once, however often it repeats the entry).
  const holders = new Map<string, number>();
  for (const l of lists) for (const x of new Set(l)) holders.set(x, (holders.get(x) ?? 0) + 1);
  const parts: string[] = [];
  lists.forEach((l, i) => {
    const only = l.filter((x) => holders.get(x)! < lists.length);
    if (only.length) parts.push(`only in ${labels[i]}: ${only.join(', ')}`);
  });
  return parts.length ? parts.join('; ') : 'same entries in a different order';
}

/**
 * Facts of a universal file: each slice's own facts (the truth), at the top only what every slice agrees on
 * (sliceDiffers names the rest), and warnings where they disagree.
 */
export function machoFatFacts(path: string, f: FatFile): MachoFacts {
  const isFat64 = f.header.magic === 'FAT_MAGIC_64';
  const arches: MachoFatArch[] = f.slices.map((s, index) => {
    const n = cpuNames(s.arch.cputype, s.arch.cpusubtype);
    return {
      index, cputype: n.cputype, cpusubtype: n.cpusubtype, arch: n.appleArch,
      offset: s.arch.offset, size: s.arch.size, align: s.arch.align, error: s.error?.reason ?? null,
    };
  });
  const warnings: Warning[] = [...f.warnings];
  const slices: MachoSlice[] = [];
  f.slices.forEach((s, index) => {
    const a = arches[index];
    if (!s.file) {
      warnings.push({ code: 'macho.slice-malformed', detail: `slice ${index} (${a.arch}) could not be read: ${s.error!.reason}`, offset: s.error!.offset });
      return;
    }
    const sf = machoFacts(path, s.file);
    slices.push({ ...sf, slices: null, fatArch: { index, cputype: a.cputype, cpusubtype: a.cpusubtype, offset: a.offset, size: a.size, align: a.align } });
  });
  // Two slices of one arch (lipo refuses that; a hostile file need not) are told apart by their fat_arch index.
  const seenArch = new Set<string>();
  const labels = slices.map((s) => {
    const l = s.macho.archName;
    if (!seenArch.has(l)) { seenArch.add(l); return l; }
    return `${l}#${s.fatArch.index}`;
  });
  slices.forEach((s, i) => { for (const w of s.warnings) warnings.push({ ...w, detail: `[${labels[i]}] ${w.detail}` }); });

  const first = slices[0];
  // The top-level fields the slices disagree on (MachoFacts.sliceDiffers), in the order they are compared.
  const sliceDiffers: MachoSliceField[] = [];
  const differs = (what: string, detail: string) => warnings.push({ code: 'macho.slices-differ', detail: `slices differ in ${what}: ${detail}` });
  const compareList = (what: string, lists: string[][]) => {
    const d = listDifference(labels, lists);
    if (d) differs(what, d);
    return d === null;
  };
  const compareValue = <T>(what: MachoSliceField, get: (s: MachoSlice) => T): T | null => {
    const vals = slices.map(get);
    if (vals.every((v) => v === vals[0])) return vals[0];
    differs(what, slices.map((_, i) => `${labels[i]} ${vals[i] ?? '—'}`).join(', '));
    sliceDiffers.push(what);
    return null;
  };
  // Each slice is loaded on its own (dyld picks one), so a top-level list is only meaningful when it is every
  // slice's list, in the same order: load order decides which library's symbol wins. A union merges orders that
  // no slice has, so when the slices differ the top level says [] and sliceDiffers names the field; the truth is
  // in slices[] (the plan and audit rules check each slice: units() in plan/rules/fields.ts).
  const sameDylibs = compareList('dylibs', slices.map((s) => s.dylibs.map((d) => `${d.name} (${d.kind})`)));
  const sameRpaths = compareList('rpaths', slices.map((s) => s.rpaths));
  const sameNeeded = slices.every((s) => s.needed.length === first.needed.length && s.needed.every((n, i) => n === first.needed[i]));
  if (!sameNeeded) sliceDiffers.push('needed');
  if (!sameDylibs) sliceDiffers.push('dylibs');
  if (!sameRpaths) sliceDiffers.push('rpath', 'rpaths');
  const minOS = compareValue('minOS', (s) => s.minOS);
  const platform = compareValue('platform', (s) => s.platform);
  const installName = compareValue('installName', (s) => s.installName);
  if (installName === null && sliceDiffers.includes('installName')) sliceDiffers.push('soname');
  // type cannot be absent: the top level keeps the first slice's, and sliceDiffers says it is not every slice's.
  compareValue('type', (s) => s.type);
  const linkage = compareValue('linkage', (s) => s.linkage);
  const pie = compareValue('pie', (s) => s.pie);
  // Not compared before (no warning of its own): the dylinker is part of how a slice loads.
  const interpreter = slices.every((s) => s.interpreter === first.interpreter) ? first.interpreter : null;
  if (interpreter !== first.interpreter) sliceDiffers.push('interpreter');

  // Union of the slices' dylibs by (name, kind), first-seen order, each saying which slices load it: the one view
  // of "everything any slice loads" (macho.dylibUnion; the linkage summary is computed over it). Keyed by a
  // Map per kind: a slice may name 65,536 dylibs, and a scan of the union per dylib would cost their square.
  const union: MachoDylib[] = [];
  const byKind = new Map<string, Map<string, MachoDylib>>();
  slices.forEach((s, i) => {
    for (const d of s.dylibs) {
      let names = byKind.get(d.kind);
      if (!names) byKind.set(d.kind, names = new Map());
      const u = names.get(d.name);
      if (u) u.slices!.push(labels[i]);
      else {
        // Built field by field: an object spread per dylib costs several times as much, 131,072 times over.
        const x: MachoDylib = {
          name: d.name, kind: d.kind, cmd: d.cmd, class: d.class, currentVersion: d.currentVersion,
          compatibilityVersion: d.compatibilityVersion, slices: [labels[i]],
        };
        names.set(d.name, x);
        union.push(x);
      }
    }
  });
  const summary = summarize(union);
  const libc: Libc = slices.some((s) => s.libc === 'libsystem') ? 'libsystem' : 'unknown';
  // When every slice has the same dylibs in the same order, the union is that list (versions: the first slice's).
  const dylibs = sameDylibs ? union : [];

  return {
    path, format: 'macho', arch: 'universal', bits: first.bits, endian: first.endian,
    type: first.type, linkage, pie, libc, interpreter,
    needed: sameNeeded ? [...first.needed] : [], rpath: sameRpaths ? [...first.rpath] : [], runpath: [],
    soname: installName, dylibs, rpaths: sameRpaths ? [...first.rpaths] : [], installName,
    minOS, platform, slices, sliceDiffers,
    evidence: {
      ...first.evidence,
      linkage: linkage === null ? [] : first.evidence.linkage,
      pie: pie === null ? [] : first.evidence.pie,
      minOS: minOS === null ? [] : first.evidence.minOS,
      installName: installName === null ? [] : first.evidence.installName,
      libc: slices.flatMap((s, i) => s.evidence.libc.map((e) => ev(`${labels[i]} ${e.field}`, e.value))).slice(0, 1),
      linkageSummary: summary.evidence,
      slices: [ev(isFat64 ? 'FAT_MAGIC_64' : 'FAT_MAGIC', f.header.nfatArch), ...arches.map((a) => ev(`fat_arch[${a.index}]`, a.arch))],
    },
    warnings, error: null,
    macho: { ...first.macho, linkageSummary: summary.summary, fat: { magic: f.header.magic, arches }, dylibUnion: union },
  };
}
