/**
 * What each format calls the common facts, for a finding's `field` (named as in the format's spec), and the
 * format-dependent parts of comparing names. The `never` defaults make a new format fail to compile here.
 */
import type { BinaryFacts } from '../../facts/types.js';
import { loadedDllName } from '../../facts/windows-dlls.js';
import type { Finding, Json } from '../model.js';

export type CommonField = 'needed' | 'rpath' | 'runpath' | 'searchPaths' | 'interpreter' | 'soname' | 'type' | 'linkage' | 'libc' | 'pie' | 'arch';

const ELF_FIELDS: Record<CommonField, string> = {
  needed: 'DT_NEEDED', rpath: 'DT_RPATH', runpath: 'DT_RUNPATH', searchPaths: 'DT_RPATH/DT_RUNPATH', interpreter: 'PT_INTERP',
  soname: 'DT_SONAME', type: 'e_type', linkage: 'linkage', libc: 'libc', pie: 'pie', arch: 'e_machine',
};
const MACHO_FIELDS: Record<CommonField, string> = {
  needed: 'LC_LOAD_DYLIB', rpath: 'LC_RPATH', runpath: 'LC_RPATH', searchPaths: 'LC_RPATH', interpreter: 'LC_LOAD_DYLINKER',
  soname: 'LC_ID_DYLIB', type: 'filetype', linkage: 'linkage', libc: 'libc', pie: 'MH_PIE', arch: 'cputype',
};

const PE_FIELDS: Record<CommonField, string> = {
  needed: 'import', rpath: 'rpath', runpath: 'runpath', searchPaths: 'search paths', interpreter: 'interpreter',
  soname: 'IMAGE_EXPORT_DIRECTORY Name', type: 'Characteristics', linkage: 'linkage', libc: 'libc', pie: 'DYNAMIC_BASE', arch: 'Machine',
};

export function fieldName(f: BinaryFacts, field: CommonField): string {
  switch (f.format) {
    case 'elf': return ELF_FIELDS[field];
    case 'macho': return MACHO_FIELDS[field];
    case 'pe': return PE_FIELDS[field];
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** Library names compare case-insensitively where the loader does (PE). */
export function caseInsensitiveNames(f: BinaryFacts): boolean {
  switch (f.format) {
    case 'elf': case 'macho': return false;
    case 'pe': return true;
    default: {
      const never: never = f;
      return never;
    }
  }
}

/**
 * Every library the binary depends on. Mach-O: every dylib, weak and lazy ones included. PE: imported and
 * delay-loaded DLLs (a delay-loaded vcruntime140.dll is still a dependency), each name once, case-insensitively, and
 * as the loader loads it (loadedDllName: `VCRUNTIME140` is VCRUNTIME140.dll, which needed.forbid globs must see).
 */
export function neededNames(f: BinaryFacts): string[] {
  switch (f.format) {
    case 'elf': case 'macho': return f.needed;
    case 'pe': {
      const seen = new Set<string>();
      return [...f.needed, ...f.delayImports.map((d) => d.dll)].map(loadedDllName)
        .filter((n) => !seen.has(n.toLowerCase()) && !!seen.add(n.toLowerCase()));
    }
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** Is a search-path entry anchored to the binary's own location? (gABI: $ORIGIN; dyld: @loader_path, @executable_path.) */
export function anchored(f: BinaryFacts, entry: string): boolean {
  switch (f.format) {
    case 'elf': return /^\$(ORIGIN|\{ORIGIN\})(\/|$)/.test(entry);
    case 'macho': return /^@(loader_path|executable_path)(\/|$)/.test(entry);
    case 'pe': return false; // PE has no search paths in the image
    default: {
      const never: never = f;
      return never;
    }
  }
}

/**
 * The units rules look at: the binary itself, or each slice of a universal Mach-O (each slice is loaded on its
 * own, so each must hold). `label` names the slice in findings.
 */
export function units(f: BinaryFacts): { facts: BinaryFacts; label: string | null }[] {
  switch (f.format) {
    case 'elf': case 'pe': return [{ facts: f, label: null }];
    case 'macho': return f.slices ? f.slices.map((s) => ({ facts: s, label: s.macho.archName })) : [{ facts: f, label: null }];
    default: {
      const never: never = f;
      return never;
    }
  }
}

/**
 * A rule's findings over the units of a binary: each unit's violations, and one finding for violations that are the
 * same in several slices, listing those slices. `make` turns a unit's first such violation into its finding (null
 * drops it); the plan's rules and the audit's share this.
 */
export function mergedOverUnits<V extends { field: string; expected: Json; actual: Json; args: unknown }>(
  us: { facts: BinaryFacts; label: string | null }[],
  check: (facts: BinaryFacts) => V[],
  make: (v: V, label: string | null) => Finding | null,
): Finding[] {
  const seen = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const u of us) {
    for (const v of check(u.facts)) {
      const key = JSON.stringify([v.field, v.expected, v.actual, v.args]);
      const prev = seen.get(key);
      if (prev) {
        if (u.label) (prev.slices ??= []).push(u.label);
        continue;
      }
      const f = make(v, u.label);
      if (!f) continue;
      seen.set(key, f);
      out.push(f);
    }
  }
  return out;
}
