/**
 * Cross-check of the PE reader against llvm-readobj (--coff-imports --file-headers) and GNU objdump (-p) over every
 * PE sample and every PE file under /usr/lib and /usr/share (MinGW and Wine packages ship many; a fresh CI machine
 * may have none, and then only the samples are checked — they always are).
 */
import { describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { facts, inspectFile, sample, samplesUnder, tool } from './helpers.js';
import type { PeFacts } from '../src/facts/types.js';
import { IMAGE_DLLCHARACTERISTICS, IMAGE_FILE_CHARACTERISTICS, IMAGE_GUARD_FLAGS } from '../src/formats/pe/constants.js';

function peSamples(): string[] {
  return [...samplesUnder('pe'), 'rust/hello-windows-gnu.exe'];
}

/** Regular files starting with "MZ" whose e_lfanew points at "PE\0\0". */
export function systemPeFiles(roots = ['/usr/lib', '/usr/share']): string[] {
  const out: string[] = [];
  const head = Buffer.alloc(64), sig = Buffer.alloc(4);
  const walk = (d: string) => {
    let ents;
    try {
      ents = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        let fd = -1;
        try {
          fd = openSync(p, 'r');
          if (readSync(fd, head, 0, 64, 0) < 64 || head[0] !== 0x4d || head[1] !== 0x5a) continue;
          if (readSync(fd, sig, 0, 4, head.readUInt32LE(0x3c)) === 4 && sig.toString('latin1') === 'PE\0\0') out.push(p);
        } catch {
          /* unreadable: not ours to check */
        } finally {
          if (fd >= 0) closeSync(fd);
        }
      }
    }
  };
  for (const r of roots) walk(r);
  return out.sort();
}

function run(cmd: string, args: string[]): string | null {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}

interface ToolImport {
  dll: string;
  /** "name/hint" or "#ordinal" */
  symbols: string[];
}

function parseReadobj(out: string) {
  const machine = /^\s*Machine: IMAGE_FILE_MACHINE_(\w+)/m.exec(out)?.[1] ?? null;
  const chars = [...out.matchAll(/^\s*Characteristics \[ \(0x([0-9A-F]+)\)/gim)].map((m) => parseInt(m[1], 16));
  const magic = parseInt(/^\s*Magic: 0x([0-9A-F]+)/im.exec(out)?.[1] ?? '0', 16);
  const imports: ToolImport[] = [], delay: ToolImport[] = [];
  let cur: ToolImport | null = null;
  for (const line of out.split('\n')) {
    if (/^Import \{/.test(line)) { cur = { dll: '', symbols: [] }; imports.push(cur); continue; }
    if (/^DelayImport \{/.test(line)) { cur = { dll: '', symbols: [] }; delay.push(cur); continue; }
    if (/^\}/.test(line)) { cur = null; continue; }
    if (!cur) continue;
    const n = /^ {2}Name: (.*)$/.exec(line);
    if (n) { cur.dll = n[1]; continue; }
    const s = /^\s+Symbol: (.*) \((\d+)\)$/.exec(line);
    if (s) cur.symbols.push(s[1] === '' ? `#${s[2]}` : `${s[1]}/${s[2]}`);
  }
  return { machine, fileChars: chars[0], dllChars: chars[1], magic, imports, delay };
}

function parseObjdump(out: string) {
  const dllChars = parseInt(/^DllCharacteristics\s+([0-9a-f]+)/m.exec(out)?.[1] ?? 'NaN', 16);
  const fileChars = parseInt(/^Characteristics 0x([0-9a-f]+)/m.exec(out)?.[1] ?? 'NaN', 16);
  const magic = parseInt(/^Magic\s+([0-9a-f]+)/m.exec(out)?.[1] ?? 'NaN', 16);
  const imports: ToolImport[] = [];
  const start = out.indexOf('The Import Tables');
  if (start >= 0) {
    const end = out.slice(start).search(/\n(The \w+ Tables?|PE File Base Relocations|The Function Table|Private flags)/);
    const body = end < 0 ? out.slice(start) : out.slice(start, start + end);
    let cur: ToolImport | null = null;
    for (const line of body.split('\n')) {
      const n = /^\tDLL Name: (.*)$/.exec(line);
      if (n) { cur = { dll: n[1], symbols: [] }; imports.push(cur); continue; }
      const s = /^\t[0-9a-f]+\t\s*(\d+)\s+(\S.*?)\s*$/.exec(line);
      if (s && cur) cur.symbols.push(s[2] === '<none>' ? `#${s[1]}` : `${s[2]}/${s[1]}`);
    }
  }
  return { dllChars, fileChars, magic, imports, hasImportTable: start >= 0 };
}

const value = (names: string[], table: [number, string][]) => names.reduce((v, n) => v | (table.find(([, x]) => x === n)?.[0] ?? 0), 0);
const ours = (imports: PeFacts['imports']): ToolImport[] => imports.map((i) => ({
  dll: i.dll, symbols: i.functions.map((f) => (f.name === null ? `#${f.ordinal}` : `${f.name}/${f.hint}`)),
}));

interface Tally { files: number; readobj: number; objdump: number; loadConfigOrDebug: number }

function crossCheck(path: string, t: Tally): void {
  const f = facts(path);
  if (f.format !== 'pe') throw new Error(`${path}: not read as PE`);
  t.files++;
  const fileChars = value(f.pe.characteristics, IMAGE_FILE_CHARACTERISTICS);
  const dllChars = value(f.dllCharacteristics, IMAGE_DLLCHARACTERISTICS);
  const magic = f.pe.magic === 'PE32+' ? 0x20b : 0x10b;

  const ro = run('llvm-readobj', ['--coff-imports', '--file-headers', path]);
  if (ro !== null) { // llvm-readobj 14 crashes on some debug-only PE files; what it does print must agree
    t.readobj++;
    const r = parseReadobj(ro);
    expect({ path, machine: r.machine, fileChars: r.fileChars, dllChars: r.dllChars, magic: r.magic })
      .toEqual({ path, machine: f.pe.machine, fileChars, dllChars, magic });
    if (f.type !== 'debug-info') {
      expect({ path, imports: r.imports }).toEqual({ path, imports: ours(f.imports) });
      expect({ path, delay: r.delay }).toEqual({ path, delay: ours(f.delayImports) });
    }
  }
  if (f.pe.loadConfig || f.pe.debugTypes.length) {
    const lc = run('llvm-readobj', ['--coff-load-config', '--coff-debug-directory', path]);
    if (lc !== null) {
      t.loadConfigOrDebug++;
      const guard = /^\s*GuardFlags: 0x([0-9A-F]+)/im.exec(lc);
      const seh = /^\s*SEHandlerCount: (\d+)/m.exec(lc);
      const pdb = /^\s*PDBFileName: (.*)$/m.exec(lc);
      const types = [...lc.matchAll(/^\s*Type: .*\(0x([0-9A-F]+)\)$/gim)].length;
      const pe32 = f.pe.magic === 'PE32'; // SafeSEH handler tables are PE32-only
      expect({
        path, guard: guard ? parseInt(guard[1], 16) & 0x0fffffff : null, seh: seh && pe32 ? Number(seh[1]) : null, pdb: pdb?.[1] ?? null, types,
      }).toEqual({
        path,
        guard: guard ? value(f.pe.guardCf.flags, IMAGE_GUARD_FLAGS) : null,
        seh: seh && pe32 ? f.pe.loadConfig?.seHandlerCount : null,
        pdb: f.pe.pdb?.path ?? null,
        types: f.pe.debugTypes.length,
      });
    }
  }
  const od = run('objdump', ['-p', path]);
  if (od !== null) {
    t.objdump++;
    const o = parseObjdump(od);
    expect({ path, fileChars: o.fileChars, dllChars: o.dllChars, magic: o.magic }).toEqual({ path, fileChars, dllChars, magic });
    if (f.type === 'debug-info') return;
    if (f.pe.machine === 'ARM64') {
      // objdump 2.40 walks pei-aarch64 thunks as 32-bit entries and stops after the first function of each DLL:
      // compare the DLL list only (llvm-readobj above checked the functions).
      expect({ path, dlls: o.imports.map((i) => i.dll) }).toEqual({ path, dlls: f.needed });
    } else {
      expect({ path, imports: o.imports }).toEqual({ path, imports: ours(f.imports) });
    }
  }
}

describe('PE cross-check against llvm-readobj and objdump', () => {
  it('every PE sample', () => {
    const t: Tally = { files: 0, readobj: 0, objdump: 0, loadConfigOrDebug: 0 };
    for (const p of peSamples()) crossCheck(sample(p), t);
    expect(t.files).toBeGreaterThanOrEqual(59);
    expect(t.readobj).toBe(t.files);
    // GNU objdump reads x86 and (binutils-multiarch, or 2.40's pei-aarch64) arm64 PE; require at least the x86 ones
    expect(t.objdump).toBeGreaterThanOrEqual(t.files - 11);
    // the delay-import cross-check is not vacuous
    expect(peSamples().filter((p) => p.endsWith('delayload.exe')).length).toBe(3);
  });

  const system = systemPeFiles();
  it(`every PE file under /usr/lib and /usr/share (${system.length} found)`, () => {
    const t: Tally = { files: 0, readobj: 0, objdump: 0, loadConfigOrDebug: 0 };
    for (const p of system) crossCheck(p, t);
    expect(t.files).toBe(system.length);
    if (system.length) expect(t.readobj).toBeGreaterThan(0);
    console.info(`PE cross-check: ${t.files} system PE files, ${t.readobj} checked with llvm-readobj, ${t.objdump} with objdump, ` +
      `${t.loadConfigOrDebug} load-config/debug directories`);
  }, 600_000);
});

describe('long section names ("/N": an offset into the COFF string table)', () => {
  it('are read from the string table, as llvm-readobj prints them', () => {
    // foo-unstripped.dll keeps its COFF symbol and string tables; its .CRT section header is renamed "/N", N the
    // offset of a name in the string table, the way MinGW's linker names .debug_info and friends.
    const b = Buffer.from(readFileSync(sample('pe/mingw/foo-unstripped.dll')));
    const lfanew = b.readUInt32LE(0x3c);
    const ptr = b.readUInt32LE(lfanew + 12), count = b.readUInt32LE(lfanew + 16);
    const strAt = ptr + count * 18;
    const want = '.debug_like_name';
    const at = b.indexOf(Buffer.from('\0__do_global_dtors\0'), strAt) + 1;
    expect(at).toBeGreaterThan(strAt);
    b.write(`${want.padEnd('__do_global_dtors'.length, '\0')}`, at, 'latin1');
    const sections = lfanew + 24 + b.readUInt16LE(lfanew + 20);
    let crt = -1;
    for (let i = 0; i < b.readUInt16LE(lfanew + 6); i++) if (b.toString('latin1', sections + i * 40, sections + i * 40 + 4) === '.CRT') crt = sections + i * 40;
    expect(crt).toBeGreaterThan(0);
    b.fill(0, crt, crt + 8).write(`/${at - strAt}`, crt, 'latin1');
    const file = join(mkdtempSync(join(tmpdir(), 'linkplan-pe-long-')), 'long.dll');
    writeFileSync(file, b);
    const readobj = tool('llvm-readobj', ['--sections', file]).split('\n').filter((l) => l.includes('Name:')).map((l) => l.trim().split(' ')[1]);
    expect(readobj).toContain(want);
    const f = inspectFile(file) as PeFacts;
    expect(f.pe.sections).toEqual(readobj);
  });
});
