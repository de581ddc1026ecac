/**
 * Every path-like string a binary records, with the field it sits in (named as in the format's spec): what the
 * path rules (build-path, homebrew-path) scan. The `never` default makes a new format fail to compile here.
 */
import type { BinaryFacts } from '../facts/types.js';

export interface RecordedPath {
  field: string;
  path: string;
}

/** ELF: PT_INTERP, DT_NEEDED, DT_RPATH, DT_RUNPATH. Mach-O: LC_LOAD_DYLINKER, LC_ID_DYLIB, each dylib's command, LC_RPATH. */
export function recordedPaths(f: BinaryFacts): RecordedPath[] {
  const out: RecordedPath[] = [];
  const add = (field: string, paths: readonly (string | null)[]) => { for (const path of paths) if (path) out.push({ field, path }); };
  switch (f.format) {
    case 'elf':
      add('PT_INTERP', [f.interpreter]);
      add('DT_NEEDED', f.needed);
      add('DT_RPATH', f.rpath);
      add('DT_RUNPATH', f.runpath);
      return out;
    case 'macho':
      add('LC_LOAD_DYLINKER', [f.interpreter]);
      add('LC_ID_DYLIB', [f.installName]);
      for (const d of f.dylibs) add(d.cmd, [d.name]);
      add('LC_RPATH', f.rpaths);
      return out;
    case 'pe': return out; // imports are bare DLL names; the PDB path is pdb-path's
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** Search-path entries (ELF DT_RPATH / DT_RUNPATH, Mach-O LC_RPATH); PE images have none. */
export function searchPathEntries(f: BinaryFacts): RecordedPath[] {
  switch (f.format) {
    case 'elf': return [...f.rpath.map((path) => ({ field: 'DT_RPATH', path })), ...f.runpath.map((path) => ({ field: 'DT_RUNPATH', path }))];
    case 'macho': return f.rpaths.map((path) => ({ field: 'LC_RPATH', path }));
    case 'pe': return [];
    default: {
      const never: never = f;
      return never;
    }
  }
}
