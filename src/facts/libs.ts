/**
 * Which well-known libraries a binary carries, from the symbols and read-only strings its reader found (only when
 * asked: `inspect --libs`, a plan with libs rules, cyclonedx, audit). Verdicts are proofs or `unknown`, never guesses.
 */
import type { ScanResult } from '../formats/scan.js';
import { ALLOCATOR_SYMBOLS, FINGERPRINTS, STRING_PATTERNS } from './fingerprints.js';
import type { Evidence, Format } from './types.js';
import { compareVersions } from './versions.js';

/**
 * dynamic: a needed library has one of its names. static: its own defined symbols or version strings are in the
 * file. absent: neither, and the file's full symbol table and all of its read-only data were looked at (the
 * sections where string literals live: for ELF not the unwinder's and exception tables nor Go's PC-line table, for PE
 * not the discardable sections; libs-elf.ts, libs-pe.ts). unknown: neither, but the file is stripped or the scan was
 * capped, so a copy could hide.
 */
export type LibVerdict = 'dynamic' | 'static' | 'absent' | 'unknown';

export interface LibFinding {
  name: string;
  verdict: LibVerdict;
  /** A fork recognised by its own markers (boringssl, aws-lc, libressl, zlib-ng, unprefixed). */
  variant: string | null;
  /** From a version string or version symbol; null when the file does not say. */
  version: string | null;
  /** The needed libraries that make it dynamic. */
  needed: string[];
  evidence: Evidence[];
}

/** What a reader found, in format-neutral terms. */
export interface LibsInput {
  format: Format;
  needed: string[];
  soname: string | null;
  /** full: a complete symbol table (.symtab, LC_SYMTAB); dynamic: only exported/imported ones; none. */
  symbolView: 'full' | 'dynamic' | 'none';
  symbols: { name: string; defined: boolean; binding: string; table: string }[];
  /** scanRegions over STRING_PATTERNS' regexes, in order. */
  scan: ScanResult;
  /** Bytes of a defined object, by symbol name (the version a versionSymbol holds), or null. */
  objectText(name: string): string | null;
}

export interface LibsFacts {
  symbolView: LibsInput['symbolView'];
  /** Read-only data bytes scanned, and whether the per-file cap cut the scan short. */
  scanned: number;
  truncated: boolean;
  /** One entry per fingerprint (src/facts/fingerprints.ts), in table order; a file's own library is left out. */
  libraries: LibFinding[];
  /** Unprefixed C allocator entry points the file itself defines (global or weak). */
  definesAllocator: string[];
}

const base = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const ev = (field: string, value: Evidence['value']): Evidence => ({ field, value });

/** The symbols a file defines itself (global or weak), by name, with the table each was found in. */
function definedSymbols(symbols: LibsInput['symbols']): Map<string, string> {
  const defined = new Map<string, string>();
  for (const s of symbols) if (s.defined && s.binding !== 'LOCAL') defined.set(s.name, s.table);
  return defined;
}

/**
 * The string scan of a file whose symbols are `symbols`: `run` is scanRegions over STRING_PATTERNS' regexes with a
 * skip list. A version-only pattern (jemalloc's git describe: a digit-led pattern with no literal to gate it, the
 * costliest one to run) is read by judgeLibs only once its library is proved by something else, its symbols or one
 * of its proof strings (judgeLibs counts those before it in STRING_PATTERNS; this looks at all of them: a superset,
 * never less). So it is run with the others only for a library its symbols prove; for one that a proof string of the
 * first pass proves, a second pass runs just it (rare: a vendored copy stripped of its symbols). Otherwise it is
 * skipped: its matches would not be read. Same result, less work.
 */
export function scanLibStrings(symbols: LibsInput['symbols'], run: (skip: readonly boolean[]) => ScanResult): ScanResult {
  const defined = definedSymbols(symbols);
  const proved = new Set(FINGERPRINTS.filter((f) => f.symbols.filter((s) => defined.has(s)).length >= f.minSymbols).map((f) => f.name));
  const deferred = STRING_PATTERNS.map((p) => !p.proof && !proved.has(p.lib));
  const first = run(deferred);
  if (!deferred.includes(true)) return first;
  const again = STRING_PATTERNS.map((p, i) => deferred[i] && STRING_PATTERNS.some((q, j) => q.proof && q.lib === p.lib && first.matches[j].length > 0));
  if (!again.includes(true)) return first;
  const second = run(again.map((a) => !a));
  return {
    ...first,
    matches: first.matches.map((m, i) => (again[i] ? second.matches[i] : m)),
    where: first.where.map((w, i) => (again[i] ? second.where[i] : w)),
  };
}

export function judgeLibs(x: LibsInput): LibsFacts {
  const defined = definedSymbols(x.symbols);
  const libraries: LibFinding[] = [];
  for (const fp of FINGERPRINTS) {
    const names = fp.dynamic[x.format];
    // The library itself (libssl.so.3 defines SSL_CTX_new): not a vendored copy of itself.
    if (x.soname && names.some((re) => re.test(base(x.soname!)))) continue;
    const needed = x.needed.filter((n) => names.some((re) => re.test(base(n))));
    const evidence: Evidence[] = [];
    let version: string | null = null, variant: string | null = null;
    const symHits = fp.symbols.filter((s) => defined.has(s));
    const symEvidence = symHits.map((s) => ev(`symbol (${defined.get(s)})`, s));
    let proofs = symHits.length >= fp.minSymbols ? symHits.length : 0;
    STRING_PATTERNS.forEach((p, i) => {
      if (p.lib !== fp.name || x.scan.matches[i].length === 0) return;
      const m = x.scan.matches[i];
      if (!p.proof && proofs === 0) return;
      // A program linked to the shared library may quote the header's version macro (openssl(1) prints
      // OPENSSL_VERSION_TEXT): with the library needed, only defined symbols prove a second, static copy.
      if (p.proof && needed.length && symHits.length < fp.minSymbols) return;
      for (const t of m.slice(0, 2)) evidence.push(ev(`string (${x.scan.where[i]})`, t));
      if (p.proof) proofs++;
      if (p.variant) variant ??= p.variant;
      const v = new RegExp(p.re.source).exec(m[0])?.[1];
      // The highest version seen: a file may quote an older one in a compatibility string.
      if (v && (version === null || compareVersions(v, version) > 0)) version = v;
    });
    for (const v of fp.variants ?? []) {
      const hits = (v.symbols ?? []).filter((s) => defined.has(s));
      if (hits.length) variant ??= v.name;
    }
    if (proofs > 0 && fp.versionSymbol && defined.has(fp.versionSymbol)) {
      const t = x.objectText(fp.versionSymbol);
      if (t && /^\d+\.\d+(\.\d+){0,2}$/.test(t)) {
        version = t;
        evidence.push(ev(`${fp.versionSymbol}[]`, t));
      }
    }
    // Strings first: they carry the version, and survive stripping.
    evidence.push(...symEvidence);
    let verdict: LibVerdict;
    if (proofs > 0) verdict = 'static';
    else if (needed.length) verdict = 'dynamic';
    else verdict = x.symbolView === 'full' && !x.scan.truncated ? 'absent' : 'unknown';
    if (verdict !== 'static') {
      // Strings that did not prove the library (version-only ones) are not evidence of anything.
      evidence.length = 0;
      version = null;
      variant = null;
      for (const n of needed) evidence.push(ev('needed', n));
    }
    libraries.push({ name: fp.name, verdict, variant, version, needed, evidence });
  }
  const definesAllocator = ALLOCATOR_SYMBOLS.filter((s) => defined.has(s));
  return { symbolView: x.symbolView, scanned: x.scan.scanned, truncated: x.scan.truncated, libraries, definesAllocator };
}
