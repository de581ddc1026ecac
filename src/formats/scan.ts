import type { ByteSource } from '../bytes/source.js';
import { limits } from '../bytes/limits.js';
import { latin1 } from '../bytes/text.js';

/** A byte range of the file to scan (a read-only data section or segment), named for evidence. */
export interface ScanRegion {
  name: string;
  offset: number;
  size: number;
}

export interface ScanResult {
  /** Per pattern (same order as given): distinct matched texts (whole match), at most limits.maxScanMatches. */
  matches: string[][];
  /** The region each first match was found in. */
  where: (string | null)[];
  scanned: number;
  /** The per-file cap stopped the scan: a pattern not found proves nothing. */
  truncated: boolean;
}

/**
 * Run regexes over byte ranges of a file, streamed in chunks (limits.scanChunkBytes) that overlap by
 * limits.scanOverlapBytes, so a string split by a chunk boundary is still seen whole; at most limits.maxScanBytes per
 * file however many regions there are. Regions are clamped to the file and overlapping ones merged, so hostile
 * headers naming one range many times cost it once. Patterns must be linear (no nested quantifiers).
 */
export function scanRegions(src: ByteSource, regions: ScanRegion[], patterns: readonly RegExp[], fmt: 'elf' | 'pe' | 'macho'): ScanResult {
  const matches: Set<string>[] = patterns.map(() => new Set());
  const where: (string | null)[] = patterns.map(() => null);
  const clamped = regions
    .map((r) => ({ ...r, offset: Math.min(r.offset, src.size), size: Math.max(0, Math.min(r.size, src.size - Math.min(r.offset, src.size))) }))
    .filter((r) => r.size > 0)
    .sort((a, b) => a.offset - b.offset);
  const merged: ScanRegion[] = [];
  for (const r of clamped) {
    const last = merged[merged.length - 1];
    if (last && r.offset <= last.offset + last.size) {
      const end = Math.max(last.offset + last.size, r.offset + r.size);
      last.size = end - last.offset;
    } else merged.push({ ...r });
  }
  const global = patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`));
  let left = limits.maxScanBytes, scanned = 0, truncated = false;
  for (const r of merged) {
    for (let at = 0; at < r.size;) {
      if (left <= 0) { truncated = true; break; }
      const n = Math.min(limits.scanChunkBytes, r.size - at, left);
      // Latin-1: offsets stay 1:1 with bytes, and ASCII (all the patterns look for) is unchanged.
      const text = latin1(src.read(r.offset + at, n, fmt, `${r.name} (scanned for version strings)`));
      for (let i = 0; i < global.length; i++) {
        if (matches[i].size >= limits.maxScanMatches) continue;
        const re = global[i];
        re.lastIndex = 0;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          if (m[0].length === 0) { re.lastIndex++; continue; }
          if (where[i] === null) where[i] = r.name;
          matches[i].add(m[0]);
          if (matches[i].size >= limits.maxScanMatches) break;
        }
      }
      scanned += n;
      left -= n;
      if (at + n >= r.size) break;
      // Step back by the overlap (never to or before where this chunk began).
      at += Math.max(1, n - limits.scanOverlapBytes);
    }
    if (truncated) break;
  }
  return { matches: matches.map((s) => [...s]), where, scanned, truncated };
}
