/**
 * A Go PE without a build ID (`go build -ldflags=-buildid=`) is still Go: cmd/link writes runtime.buildinfo, the
 * `\xff Go buildinf:` header Go's own debug/buildinfo looks for in the first 64 KiB of the data section. It used to
 * get crt `unknown` (no build ID, no Rich header, linker version 3.0 names no toolchain linkplan knew). The corpus
 * esbuild.exe (a Go binary) is patched at test time: its build ID blanked, then its build info too.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import type { PeFacts } from '../src/facts/types.js';
import { classifyCrt, type CrtInput } from '../src/facts/from-pe.js';
import { ROOT } from './helpers.js';

const ESBUILD = join(ROOT, '.cache/corpus/@esbuild__win32-x64@0.25.0/package/esbuild.exe');
const BUILD_ID = Buffer.from('\xff Go build ID: "', 'latin1');
const BUILDINF = Buffer.from('\xff Go buildinf:', 'latin1');

const pe = (bytes: Uint8Array): PeFacts => {
  const r = inspectSource(new MemorySource(bytes, 'esbuild.exe'), 'esbuild.exe');
  if (r.error !== null || r.format !== 'pe') throw new Error(r.error?.message ?? 'not PE');
  return r;
};
/** A copy with every occurrence of `what` overwritten by zeros. */
const blank = (b: Buffer, what: Buffer): Buffer => {
  const out = Buffer.from(b);
  for (let i = out.indexOf(what); i >= 0; i = out.indexOf(what, i + 1)) out.fill(0, i, i + what.length);
  return out;
};

describe('Go PE: the build info header proves Go when there is no build ID', () => {
  // The corpus is fetched by `npm test` (npm run corpus); without it this must fail, not pass vacuously.
  it('the corpus esbuild.exe is there', () => expect(existsSync(ESBUILD), `${ESBUILD}: run \`npm run corpus\``).toBe(true));
  const original = existsSync(ESBUILD) ? readFileSync(ESBUILD) : Buffer.alloc(0);

  it('as released: build ID and build info both found; the verdict rests on the build ID as before', () => {
    const f = pe(original);
    expect(f.pe.goBuildId).not.toBeNull();
    expect(f.pe.goBuildInfo).toEqual({ section: '.data', offset: original.indexOf(BUILDINF), version: expect.stringMatching(/^go1\.\d+/) });
    expect([f.crt, f.pe.toolchain]).toEqual(['none', 'go']);
  });

  it('build ID blanked: crt none and toolchain go, from the build info header alone', () => {
    const noId = blank(original, BUILD_ID);
    expect(noId.indexOf(BUILD_ID)).toBe(-1);
    const f = pe(noId);
    expect(f.pe.goBuildId).toBeNull();
    expect(f.pe.linkerVersion).toBe('3.0');
    expect(f.pe.rich).toBeNull();
    expect([f.crt, f.pe.toolchain]).toEqual(['none', 'go']);
    expect(f.evidence.crt).toEqual(expect.arrayContaining([
      { field: 'Go buildinf', value: f.pe.goBuildInfo!.version },
      { field: 'Go buildinf section', value: `.data at file offset 0x${original.indexOf(BUILDINF).toString(16)}` },
    ]));
    expect(f.evidence.toolchain[0]).toEqual({ field: 'Go buildinf', value: expect.stringMatching(/^go1\./) });
  });

  it('build ID and build info both blanked: unknown again (so the build info is what decided)', () => {
    const f = pe(blank(blank(original, BUILD_ID), BUILDINF));
    expect(f.pe.goBuildInfo).toBeNull();
    expect([f.crt, f.pe.toolchain]).toEqual(['unknown', 'unknown']);
  });

  it('the magic counts only at a 16-byte-aligned offset of the data section, as in debug/buildinfo', () => {
    const at = original.indexOf(BUILDINF);
    const moved = blank(blank(original, BUILD_ID), BUILDINF);
    BUILDINF.copy(moved, at + 8); // misaligned
    expect(pe(moved).pe.goBuildInfo).toBeNull();
    BUILDINF.copy(moved, at + 32); // aligned, further in (the version bytes are gone: no version)
    expect(pe(moved).pe.goBuildInfo).toMatchObject({ section: '.data', offset: at + 32 });
  });
});

describe('classifyCrt: the Go build info check', () => {
  const base: CrtInput = {
    imports: ['kernel32.dll'], delayImports: [], linkerVersion: [3, 0], rich: false, goBuildId: null, goBuildInfo: null,
    clr: false, hasCode: true, subsystem: 'WINDOWS_CUI',
  };
  it('no build ID, no build info: unknown; with the build info: none', () => {
    expect(classifyCrt(base).crt).toBe('unknown');
    const r = classifyCrt({ ...base, goBuildInfo: { section: '.data', offset: 0x984200, version: 'go1.23.5' } });
    expect([r.crt, r.toolchain]).toEqual(['none', 'go']);
    expect(r.evidence.slice(0, 2)).toEqual([
      { field: 'Go buildinf', value: 'go1.23.5' }, { field: 'Go buildinf section', value: '.data at file offset 0x984200' },
    ]);
  });
  it('a cgo binary that imports a CRT keeps that CRT verdict', () => {
    const goBuildInfo = { section: '.data', offset: 0, version: null };
    const r = classifyCrt({ ...base, imports: ['kernel32.dll', 'msvcrt.dll'], linkerVersion: [2, 40], goBuildInfo });
    expect(r.crt).toBe('mingw-msvcrt');
  });
});
