import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LLVM_BIN, SAMPLES, cli, sample, samplesUnder, tool } from './helpers.js';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { readElf } from '../src/formats/elf/index.js';
import { readMacho } from '../src/formats/macho/index.js';
import { readMachoSymbols } from '../src/formats/macho/symbols.js';
import { FINGERPRINTS } from '../src/facts/fingerprints.js';
import type { BinaryFacts, BinaryResult } from '../src/facts/types.js';
import { loadPlan, verify } from '../src/plan/index.js';
import { AUDIT_RULES_BY_ID } from '../src/audit/rules/index.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT } from './helpers.js';

const L = (n: string) => sample(`elf/libs/${n}`);
const withLibs = (p: string): BinaryFacts => {
  const r = inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p, { libs: true });
  if (r.error) throw new Error(`${p}: ${r.error.message}`);
  return r;
};
const lib = (f: BinaryFacts, name: string) => f.libs!.libraries.find((l) => l.name === name)!;
const found = (f: BinaryFacts) => f.libs!.libraries.filter((l) => l.verdict === 'static' || l.verdict === 'dynamic');

describe('library fingerprints on samples/elf/libs', () => {
  it.each([
    ['zlib-static', 'zlib', '1.2.13'], ['zlib-static-stripped', 'zlib', '1.2.13'], ['openssl-static', 'openssl', '3.0.19'],
    ['sqlite-static', 'sqlite3', '3.40.1'], ['zstd-static', 'zstd', null],
  ])('%s: %s static, version %s', (file, name, version) => {
    const f = withLibs(L(file));
    const l = lib(f, name);
    expect(l.verdict).toBe('static');
    expect(l.version).toBe(version);
    expect(found(f).map((x) => x.name)).toEqual([name]);
  });

  it('the stripped zlib is proven by its version strings alone (no .symtab), and nothing else is ruled out', () => {
    const f = withLibs(L('zlib-static-stripped'));
    expect(f.libs!.symbolView).toBe('dynamic');
    expect(lib(f, 'zlib').evidence.every((e) => e.field.startsWith('string'))).toBe(true);
    expect(lib(f, 'openssl').verdict).toBe('unknown');
    expect(withLibs(L('zlib-static')).libs!.libraries.filter((l) => l.name !== 'zlib').every((l) => l.verdict === 'absent')).toBe(true);
  });

  it.each([['zlib-dynamic', 'zlib', 'libz.so.1'], ['openssl-dynamic', 'openssl', 'libssl.so.3'], ['sqlite-dynamic', 'sqlite3', 'libsqlite3.so.0']])(
    '%s: %s dynamic from %s, no static claim', (file, name, needed) => {
      const f = withLibs(L(file));
      expect(lib(f, name).verdict).toBe('dynamic');
      expect(lib(f, name).needed).toContain(needed);
      expect(f.libs!.libraries.filter((l) => l.verdict === 'static')).toEqual([]);
    });

  it('fingerprint symbols agree with nm (defined) and version strings with strings(1)', () => {
    const nm = tool('nm', [L('zlib-static')]);
    const zlibDefined = FINGERPRINTS.find((x) => x.name === 'zlib')!.symbols.filter((s) => new RegExp(` [TDRB] ${s}$`, 'm').test(nm));
    const ev = lib(withLibs(L('zlib-static')), 'zlib').evidence.filter((e) => e.field.startsWith('symbol')).map((e) => e.value);
    expect(ev.sort()).toEqual(zlibDefined.sort());
    const strs = tool('strings', ['-a', L('openssl-static')]);
    expect(strs).toMatch(/OpenSSL 3\.0\.19 /);
    const nmD = tool('nm', ['-D', L('zlib-dynamic')]);
    expect(nmD).toMatch(/ U zlibVersion/); // undefined: an import, never evidence of a copy
  });

  it('inspect --libs: JSON libs field only when asked; table lists evidence', () => {
    const j = JSON.parse(cli(['inspect', '--json', '--libs', L('sqlite-static')]).stdout);
    expect(j.binaries[0].libs.libraries.find((l: { name: string }) => l.name === 'sqlite3')).toMatchObject({ verdict: 'static', version: '3.40.1' });
    const plain = JSON.parse(cli(['inspect', '--json', L('sqlite-static')]).stdout);
    expect(plain.binaries[0].libs).toBeUndefined();
    const t = cli(['inspect', '--libs', L('zlib-static')], { columns: 120 }).stdout;
    expect(t).toMatch(/zlib\s+│ static\s+│ 1\.2\.13/);
  });

  it('inspect --json --libs matches schema/inspect-report.schema.json', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const v = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/inspect-report.schema.json'), 'utf8')));
    const doc = JSON.parse(cli(['inspect', '--json', '--libs', sample('elf/libs'), sample('elf/musl-static')]).stdout);
    expect(v(doc), JSON.stringify(v.errors?.slice(0, 3))).toBe(true);
  });

  it('without --libs, inspect reads only kilobytes (bytes read unchanged)', () => {
    const b = new Uint8Array(readFileSync(L('openssl-static')));
    const a = new MemorySource(b, 'x'), c = new MemorySource(b, 'x');
    inspectSource(a, 'x');
    inspectSource(c, 'x', { libs: true });
    expect(a.bytesRead).toBeLessThan(64 * 1024);
    expect(c.bytesRead).toBeGreaterThan(a.bytesRead);
  });
});

describe('what is scanned', () => {
  it('readelf agrees: the read-only PROGBITS sections, less call-frame, exception and Go PC-line tables', () => {
    // readelf -S -W: [Nr] Name Type Address Off Size ES Flg ...; the scan takes type PROGBITS with A and neither W nor X.
    const NOT_STRINGS = new Set(['.eh_frame', '.eh_frame_hdr', '.gcc_except_table', '.gopclntab']);
    let checked = 0, left = 0;
    for (const rel of samplesUnder('elf')) {
      const p = join(SAMPLES, rel);
      const head = readFileSync(p).subarray(0, 4);
      if (head.toString('latin1') !== '\x7fELF') continue;
      const r = inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p, { libs: true });
      if (r.error || !r.libs) continue;
      let out: string;
      try { out = tool('readelf', ['-S', '-W', p]); } catch { continue; }
      const secs = [...out.matchAll(/^\s*\[\s*\d+\]\s+(\S+)\s+PROGBITS\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s+[0-9a-f]+\s+(\S*)/gm)]
        .filter((m) => m[4].includes('A') && !m[4].includes('W') && !m[4].includes('X'));
      if (secs.length === 0) continue;
      const kept = secs.filter((m) => !NOT_STRINGS.has(m[1]));
      left += secs.length - kept.length;
      // The samples' sections are far below a scan chunk, and none overlap: the bytes scanned are their sum.
      expect(r.libs.scanned, rel).toBe(kept.reduce((a, m) => a + parseInt(m[3], 16), 0));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    // The samples do have .eh_frame and its index: they are what is left out.
    expect(left).toBeGreaterThan(checked);
  });

  it('llvm-readobj agrees for PE: initialized data neither writable, code nor discardable (.reloc, MinGW\'s DWARF)', () => {
    let checked = 0, left = 0;
    for (const rel of samplesUnder('pe')) {
      const p = join(SAMPLES, rel);
      const r = inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p, { libs: true });
      if (r.error || !r.libs || r.format !== 'pe') continue;
      const out = tool(join(LLVM_BIN, 'llvm-readobj'), ['--sections', p]);
      const secs = [...out.matchAll(/RawDataSize: (\d+)[\s\S]*?Characteristics \[ \(0x([0-9A-F]+)\)/g)]
        .map((m) => ({ size: Number(m[1]), c: parseInt(m[2], 16) }))
        .filter((x) => x.c & 0x40 && x.size > 0 && !(x.c & (0x80000000 | 0x20000000)));
      const kept = secs.filter((x) => !(x.c & 0x02000000));
      left += secs.length - kept.length;
      expect(r.libs.scanned, rel).toBe(kept.reduce((a, x) => a + x.size, 0));
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(left).toBeGreaterThan(10);
  });
});

describe('no false positives', () => {
  const others = [...samplesUnder('elf'), ...samplesUnder('elf-tree')].filter((p) => !p.includes('/libs/')).map((p) => join(SAMPLES, p));
  it.each(others.map((p) => [p.slice(SAMPLES.length + 1), p]))('%s: no library found', (_n, p) => {
    const r = inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p, { libs: true });
    if (r.error) return;
    expect(found(r)).toEqual([]);
  });

  it('/usr ELF files that need libssl / libz dynamically are not claimed to carry a static copy', () => {
    const dirs = ['/usr/bin', '/usr/lib/x86_64-linux-gnu'];
    let checked = 0;
    for (const d of dirs) {
      for (const n of readdirSync(d).slice(0, 3000)) {
        const p = join(d, n);
        let st; try { st = statSync(p); } catch { continue; }
        if (!st.isFile() || st.size > 16 * 1024 * 1024 || st.size < 64) continue;
        const b = new Uint8Array(readFileSync(p));
        if (b[0] !== 0x7f || b[1] !== 0x45) continue;
        let needed: string[];
        try { needed = readElf(new MemorySource(b, p)).needed; } catch { continue; }
        const wants = needed.some((x) => /^lib(ssl|crypto|z)\.so/.test(x));
        if (!wants) continue;
        const r: BinaryResult = inspectSource(new MemorySource(b, p), p, { libs: true });
        if (r.error) continue;
        for (const l of r.libs!.libraries) {
          if (l.name === 'openssl' && needed.some((x) => /^lib(ssl|crypto)\.so/.test(x))) expect(l.verdict, p).toBe('dynamic');
          if (l.name === 'zlib' && needed.some((x) => /^libz\.so/.test(x))) expect(l.verdict, p).toBe('dynamic');
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('libs plan rule', () => {
  const run = (libs: string, file: string) => {
    const p = loadPlan(`[[artifact]]\npath = "*"\nlibs = { ${libs} }\n`, 'linkplan.toml');
    if (!('plan' in p)) throw new Error(JSON.stringify(p.errors));
    return verify(p.plan, [withLibs(L(file))]).findings.filter((f) => f.rule === 'libs');
  };
  it('static / vendored / any / absent / dynamic', () => {
    expect(run('zlib = "static"', 'zlib-static')).toEqual([]);
    expect(run('zlib = "vendored"', 'zlib-static-stripped')).toEqual([]);
    expect(run('zlib = "static"', 'zlib-dynamic')).toHaveLength(1);
    expect(run('zlib = "any"', 'zlib-dynamic')).toEqual([]);
    expect(run('zlib = "absent"', 'zlib-static')).toHaveLength(1);
    expect(run('zlib = "dynamic"', 'zlib-dynamic')).toEqual([]);
  });
  it('{ static = true, min } checks the version the file states', () => {
    expect(run('openssl = { static = true, min = "3.0.13" }', 'openssl-static')).toEqual([]);
    const v = run('openssl = { static = true, min = "3.1.0" }', 'openssl-static');
    expect(v.map((f) => f.args)).toMatchObject([{ expected: 'min', version: '3.0.19', min: '3.1.0' }]);
    expect(run('openssl = { static = true }', 'openssl-dynamic')).toHaveLength(1);
    expect(run('sqlite3 = { static = false }', 'sqlite-static')).toHaveLength(1);
  });
});

describe('unprefixed-allocator audit rule', () => {
  it('flags own-malloc (glibc) and own-malloc-musl (the musl packaging case), not the others', () => {
    const rule = AUDIT_RULES_BY_ID['unprefixed-allocator'];
    for (const s of ['own-malloc', 'own-malloc-musl']) {
      const v = rule.check(withLibs(L(s)), { shipped: new Set() });
      expect(v, s).toHaveLength(1);
      expect(v[0].args.defines).toEqual(['malloc', 'free', 'calloc', 'realloc']);
    }
    expect(withLibs(L('own-malloc-musl')).libc).toBe('musl');
    expect(rule.check(withLibs(L('zlib-dynamic')), { shipped: new Set() })).toEqual([]);
  });
});

describe('bounded under mutation', () => {
  it('zlib-static: truncations and scribbles give facts or MalformedError/warnings only', () => {
    const orig = new Uint8Array(readFileSync(L('zlib-static')));
    const e = readElf(new MemorySource(orig, 'z'));
    const symtab = e.sections.find((s) => s.name === '.symtab')!;
    const shoff = e.header.shoff;
    const run = (b: Uint8Array, what: string) => {
      const r = inspectSource(new MemorySource(b, what), what, { libs: true });
      if (r.error?.code === 'internal') expect.fail(`${what}: ${r.error.message}`);
    };
    for (let len = 0; len < orig.length; len += len < 256 ? 1 : 509) run(orig.subarray(0, len), `truncated to ${len}`);
    const buf = new Uint8Array(orig);
    const dv = new DataView(buf.buffer);
    for (const [a, z] of [[0, 64], [shoff, Math.min(buf.length, shoff + 64 * 40)], [symtab.offset, symtab.offset + 24 * 40]]) {
      for (let off = a & ~3; off + 4 <= z; off += 4) {
        const saved = dv.getUint32(off);
        for (const v of [0xffffffff, 0x7fffffff, 0x0000ffff]) { dv.setUint32(off, v); run(buf, `0x${v.toString(16)} at ${off}`); }
        dv.setUint32(off, saved);
      }
    }
  });
});

describe('PE and Mach-O', () => {
  it('Mach-O LC_SYMTAB: defined and undefined externals, leading underscore dropped; __cstring scanned', () => {
    const p = sample('macho/arm64/bin/hello');
    const b = new Uint8Array(readFileSync(p));
    const m = readMacho(new MemorySource(b, p));
    expect(readMachoSymbols(new MemorySource(b, p), m, new Set(['main', 'puts', 'printf']))).toEqual([
      { name: 'main', defined: true, binding: 'GLOBAL' }, { name: 'puts', defined: false, binding: 'GLOBAL' },
    ]);
    const f = withLibs(p);
    expect(f.libs!.scanned).toBeGreaterThan(0);
    expect(f.libs!.symbolView).toBe('dynamic');
    expect(found(f)).toEqual([]);
  });

  it('PE: a MinGW C++ program importing libstdc++-6.dll has libstdc++ dynamic; nothing is ruled out without symbols', () => {
    const f = withLibs(sample('pe/mingw/cxx-dyn.exe'));
    expect(lib(f, 'libstdc++')).toMatchObject({ verdict: 'dynamic', needed: ['libstdc++-6.dll'] });
    expect(f.libs!.libraries.filter((l) => l.verdict === 'absent')).toEqual([]);
  });

  const others = [...samplesUnder('pe'), ...samplesUnder('macho'), ...samplesUnder('rust')].map((p) => join(SAMPLES, p));
  it.each(others.map((p) => [p.slice(SAMPLES.length + 1), p]))('%s: no static library claimed', (_n, p) => {
    const r = inspectSource(new MemorySource(new Uint8Array(readFileSync(p)), p), p, { libs: true });
    if (r.error) return;
    if (r.error === null && r.libs) expect(r.libs.libraries.filter((l) => l.verdict === 'static')).toEqual([]);
  });

  it.each([['pe/mingw/foo.dll'], ['macho/x86_64/bin/hello'], ['macho/universal/bin/usefoo']])('%s with --libs survives truncation and scribbles', (n) => {
    const orig = new Uint8Array(readFileSync(sample(n)));
    const run = (b: Uint8Array, what: string) => {
      const r = inspectSource(new MemorySource(b, what), what, { libs: true });
      if (r.error?.code === 'internal') expect.fail(`${what}: ${r.error.message}`);
    };
    const step = Math.max(1, Math.floor(orig.length / 300));
    for (let len = 0; len < orig.length; len += len < 256 ? 1 : step) run(orig.subarray(0, len), `${n} truncated to ${len}`);
    const buf = new Uint8Array(orig), dv = new DataView(buf.buffer);
    for (let off = 0; off + 4 <= Math.min(buf.length, 2048); off += 4) {
      const saved = dv.getUint32(off);
      for (const v of [0xffffffff, 0x7fffffff, 0x0000ffff]) { dv.setUint32(off, v); run(buf, `${n}: 0x${v.toString(16)} at ${off}`); }
      dv.setUint32(off, saved);
    }
  });
});

describe('libs rules prove either way, and ask only what can be proven', () => {
  const d = mkdtempSync(join(tmpdir(), 'linkplan-libs-'));
  const planIn = (name: string, body: string) => { const p = join(d, name); writeFileSync(p, body); return p; };
  const verdict = (plan: string, file: string) => {
    const r = cli(['verify', '--plan', plan, file]);
    return { code: r.code, out: r.stdout + r.stderr };
  };
  it('a version floor against a letter suffix: OpenSSL 1.1.0l is older than 1.1.1, newer than 1.1.0k', () => {
    // A program that states an OpenSSL version the way libcrypto does, with its defining symbols.
    writeFileSync(join(d, 'o.c'), 'const char*OpenSSL_version(int t){(void)t;return "OpenSSL 1.1.0l  10 Sep 2019";}\n'
      + 'int OPENSSL_init_crypto(unsigned long o,void*s){(void)o;(void)s;return 1;}\n'
      + 'int main(int c,char**v){(void)v;return OpenSSL_version(c)[0]+OPENSSL_init_crypto(0,0);}\n');
    execFileSync('gcc', [join(d, 'o.c'), '-o', join(d, 'ossl')]);
    expect(withLibs(join(d, 'ossl')).libs!.libraries.find((l) => l.name === 'openssl')).toMatchObject({ verdict: 'static', version: '1.1.0l' });
    const at = (min: string) =>
      verdict(planIn(`min-${min}.toml`, `[[artifact]]\npath = "**"\nlibs.openssl = { static = true, min = "${min}" }\n`), join(d, 'ossl'));
    expect(at('1.1.1')).toMatchObject({ code: 1, out: expect.stringContaining('has openssl 1.1.0l, expected at least 1.1.1') });
    expect(at('1.1.0m').code).toBe(1);
    expect([at('1.1.0l').code, at('1.1.0k').code, at('1.0.2').code]).toEqual([0, 0, 0]);
  });
  it('unknown (stripped) proves no absence: "absent" and { static = false } fail, and say why', () => {
    execFileSync('strip', ['-o', join(d, 'zstd-stripped'), L('zstd-static')]);
    expect(withLibs(join(d, 'zstd-stripped')).libs!.libraries.find((l) => l.name === 'zstd')!.verdict).toBe('unknown');
    const no = verdict(planIn('no.toml', '[[artifact]]\npath = "**"\nlibs.zstd = { static = false }\n'), join(d, 'zstd-stripped'));
    expect(no).toMatchObject({ code: 1, out: expect.stringContaining('cannot rule out a vendored copy of zstd: it is not found, but not ruled out') });
    expect(verdict(planIn('absent.toml', '[[artifact]]\npath = "**"\nlibs.zstd = "absent"\n'), join(d, 'zstd-stripped')).code).toBe(1);
    // With its full symbol table, a program without zstd is proven so.
    expect(verdict(planIn('no2.toml', '[[artifact]]\npath = "**"\nlibs.zstd = { static = false }\n'), L('zlib-dynamic')).code).toBe(0);
  });
  it('a library with no fingerprint: a static copy or a floor is refused, and no absence is claimed', () => {
    const bad = cli(['verify', '--plan', planIn('ssh.toml', '[[artifact]]\npath = "**"\nlibs.libssh2 = "static"\n'), L('zlib-dynamic')]);
    expect([bad.code, bad.stderr]).toEqual([2, `linkplan: ${d}/ssh.toml: artifact[0].libs.libssh2: "static": linkplan has no fingerprint for libssh2, `
      + 'so a statically linked copy cannot be proven (only its needed names are checked: "dynamic", "absent", { static = false } or "any")\n']);
    const floor = cli(['verify', '--plan', planIn('ssh2.toml', '[[artifact]]\npath = "**"\nlibs.pcre2 = { static = true }\n'), L('zlib-dynamic')]);
    expect([floor.code, floor.stderr])
      .toMatchObject([2, expect.stringContaining('artifact[0].libs.pcre2.static: true: linkplan has no fingerprint for pcre2')]);
    const dyn = cli(['verify', '--plan', planIn('ssh3.toml', '[[artifact]]\npath = "**"\nlibs.libssh2 = "dynamic"\n'), L('zlib-dynamic')]);
    expect(dyn.code).toBe(1);
    expect(dyn.stdout).toContain('does not link libssh2 dynamically (no needed library matches libssh2.so*): it is linked statically (vendored) or not used');
    expect(dyn.stdout).not.toContain('show no trace');
  });
});
