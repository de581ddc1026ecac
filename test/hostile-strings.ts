/**
 * Binaries whose strings are attacks on whoever reads linkplan's output: workflow commands after a line break,
 * terminal escapes, Unicode non-characters and separators. Built at test time; each is a small, well-formed file.
 */

/** Strings a pull request could put into NEEDED, rpath and install-name fields (and into file names). */
export const HOSTILE = {
  workflowLf: '/opt/x\n::error title=injected::from-dylib-name',
  workflowCr: 'libcr.so\r::warning title=cr::carriage-return',
  workflowCrlf: 'libcrlf.so\r\n::add-mask::secret',
  terminal: 'lib\u001b[2J\u001b]0;owned\u0007clear.so',
  nonChars: 'lib\ufffe\uffff.so',
  lineSep: 'lib\u2028::error title=ls::line-separator.so',
  nel: 'lib\u0085::error title=nel::next-line.so',
  bidi: 'lib\u202egnp.exe.so',
  percent: 'lib%0A::error title=pct::percent.so',
} as const;

const enc = new TextEncoder();

/** A little-endian byte buffer to build test binaries in (also used by test/resolve-builders.ts). */
export class Out {
  readonly b: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number) { this.b = new Uint8Array(size); this.dv = new DataView(this.b.buffer); }
  u16(o: number, v: number) { this.dv.setUint16(o, v, true); }
  u32(o: number, v: number) { this.dv.setUint32(o, v >>> 0, true); }
  u64(o: number, v: number) { this.dv.setBigUint64(o, BigInt(v), true); }
  bytes(o: number, s: Uint8Array) { this.b.set(s, o); }
}

/**
 * An ELF64 x86-64 PIE executable: PT_INTERP, one PT_LOAD mapping the file at 0, PT_DYNAMIC with a DT_NEEDED per
 * name and one DT_RUNPATH joining `runpath` with ':'. `raw` names are byte strings (for invalid UTF-8).
 */
export function elfWithNames(needed: (string | Uint8Array)[], runpath: string[] = []): Uint8Array {
  const strs: Uint8Array[] = [new Uint8Array([0])];
  let strLen = 1;
  const add = (s: string | Uint8Array) => {
    const at = strLen;
    const b = typeof s === 'string' ? enc.encode(s) : s;
    strs.push(b, new Uint8Array([0]));
    strLen += b.length + 1;
    return at;
  };
  const neededAt = needed.map(add);
  const runAt = runpath.length ? add(runpath.join(':')) : -1;
  const interp = enc.encode('/lib64/ld-linux-x86-64.so.2\0');
  const interpOff = 64 + 3 * 56, strOff = interpOff + 64;
  const dynOff = Math.ceil((strOff + strLen) / 8) * 8;
  const dynEntries = needed.length + (runAt >= 0 ? 1 : 0) + 4;
  const size = dynOff + dynEntries * 16;
  const f = new Out(size);
  f.bytes(0, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
  f.u16(16, 3); f.u16(18, 62); f.u32(20, 1); f.u64(24, 0x1000);
  f.u64(32, 64); f.u16(52, 64); f.u16(54, 56); f.u16(56, 3);
  const ph = (i: number, type: number, flags: number, off: number, sz: number, align: number) => {
    const o = 64 + i * 56;
    f.u32(o, type); f.u32(o + 4, flags); f.u64(o + 8, off); f.u64(o + 16, off); f.u64(o + 24, off);
    f.u64(o + 32, sz); f.u64(o + 40, sz); f.u64(o + 48, align);
  };
  ph(0, 3 /* PT_INTERP */, 4, interpOff, interp.length, 1);
  ph(1, 1 /* PT_LOAD */, 5, 0, size, 0x1000);
  ph(2, 2 /* PT_DYNAMIC */, 6, dynOff, dynEntries * 16, 8);
  f.bytes(interpOff, interp);
  let at = strOff;
  for (const s of strs) { f.bytes(at, s); at += s.length; }
  let d = dynOff;
  const dyn = (tag: number, val: number) => { f.u64(d, tag); f.u64(d + 8, val); d += 16; };
  for (const n of neededAt) dyn(1 /* DT_NEEDED */, n);
  if (runAt >= 0) dyn(29 /* DT_RUNPATH */, runAt);
  dyn(5 /* DT_STRTAB */, strOff);
  dyn(10 /* DT_STRSZ */, strLen);
  dyn(0x6ffffffb /* DT_FLAGS_1 */, 0x08000000 /* DF_1_PIE */);
  dyn(0, 0);
  return f.b;
}

/** A Mach-O load command: cmd, cmdsize, `fixed` u32 fields, then an lc_str padded to 8 bytes. */
export function loadCommand(id: number, fixed: number[], s: string): Uint8Array {
  const str = enc.encode(`${s}\0`);
  const size = Math.ceil((8 + fixed.length * 4 + str.length) / 8) * 8;
  const c = new Out(size);
  c.u32(0, id); c.u32(4, size);
  fixed.forEach((v, i) => c.u32(8 + i * 4, v));
  c.bytes(8 + fixed.length * 4, str);
  return c.b;
}

/** A thin x86-64 Mach-O executable loading libSystem and one LC_LOAD_DYLIB per name, with LC_RPATHs. */
export function machoWithNames(dylibs: string[], rpaths: string[] = []): Uint8Array {
  const cmds: Uint8Array[] = [];
  const cmd = (id: number, fixed: number[], s: string) => cmds.push(loadCommand(id, fixed, s));
  cmd(0xe /* LC_LOAD_DYLINKER */, [12], '/usr/lib/dyld');
  cmd(0xc /* LC_LOAD_DYLIB */, [24, 0, 0x051f0000, 0x10000], '/usr/lib/libSystem.B.dylib');
  for (const d of dylibs) cmd(0xc, [24, 0, 0x10000, 0x10000], d);
  for (const r of rpaths) cmd(0x8000001c /* LC_RPATH */, [12], r);
  const sizeofcmds = cmds.reduce((n, c) => n + c.length, 0);
  const f = new Out(32 + sizeofcmds + 64);
  f.u32(0, 0xfeedfacf); f.u32(4, 0x01000007); f.u32(8, 3); f.u32(12, 2 /* MH_EXECUTE */);
  f.u32(16, cmds.length); f.u32(20, sizeofcmds); f.u32(24, 0x200085 /* NOUNDEFS DYLDLINK TWOLEVEL PIE */);
  let at = 32;
  for (const c of cmds) { f.bytes(at, c); at += c.length; }
  return f.b;
}
