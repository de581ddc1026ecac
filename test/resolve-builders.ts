/**
 * Small, well-formed binaries for the resolver tests, built at test time: an ELF64 x86-64 object with any DT_NEEDED,
 * DT_RPATH, DT_RUNPATH, DT_SONAME and PT_INTERP, and a thin x86-64 Mach-O executable or dylib with install name,
 * dylibs and LC_RPATHs.
 */
import { loadCommand, Out } from './hostile-strings.js';

const enc = new TextEncoder();

export interface ElfSpec {
  needed?: string[];
  rpath?: string[];
  runpath?: string[];
  soname?: string;
  /** PT_INTERP; null for a library (none). */
  interp?: string | null;
}

/** ELF64 LSB x86-64 ET_DYN: one PT_LOAD over the file, PT_DYNAMIC, optional PT_INTERP. */
export function elf(spec: ElfSpec = {}): Uint8Array {
  const strs: Uint8Array[] = [new Uint8Array([0])];
  let strLen = 1;
  const add = (s: string) => {
    const at = strLen;
    const b = enc.encode(s);
    strs.push(b, new Uint8Array([0]));
    strLen += b.length + 1;
    return at;
  };
  const dyn: [number, number][] = [];
  for (const n of spec.needed ?? []) dyn.push([1, add(n)]);
  if (spec.soname) dyn.push([14, add(spec.soname)]);
  if (spec.rpath?.length) dyn.push([15, add(spec.rpath.join(':'))]);
  if (spec.runpath?.length) dyn.push([29, add(spec.runpath.join(':'))]);
  const interpStr = spec.interp === undefined ? '/lib64/ld-linux-x86-64.so.2' : spec.interp;
  const interp = interpStr === null ? null : enc.encode(`${interpStr}\0`);
  const nph = interp ? 3 : 2;
  const interpOff = 64 + nph * 56;
  const strOff = interpOff + (interp ? Math.ceil(interp.length / 8) * 8 : 0);
  const dynOff = Math.ceil((strOff + strLen) / 8) * 8;
  dyn.push([5, strOff], [10, strLen]);
  if (interp) dyn.push([0x6ffffffb, 0x08000000]);
  dyn.push([0, 0]);
  const size = dynOff + dyn.length * 16;
  const f = new Out(size);
  f.bytes(0, new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
  f.u16(16, 3); f.u16(18, 62); f.u32(20, 1); f.u64(24, interp ? 0x1000 : 0);
  f.u64(32, 64); f.u16(52, 64); f.u16(54, 56); f.u16(56, nph);
  let i = 0;
  const ph = (type: number, flags: number, off: number, sz: number, align: number) => {
    const o = 64 + i++ * 56;
    f.u32(o, type); f.u32(o + 4, flags); f.u64(o + 8, off); f.u64(o + 16, off); f.u64(o + 24, off);
    f.u64(o + 32, sz); f.u64(o + 40, sz); f.u64(o + 48, align);
  };
  if (interp) ph(3, 4, interpOff, interp.length, 1);
  ph(1, 5, 0, size, 0x1000);
  ph(2, 6, dynOff, dyn.length * 16, 8);
  if (interp) f.bytes(interpOff, interp);
  let at = strOff;
  for (const s of strs) { f.bytes(at, s); at += s.length; }
  dyn.forEach(([tag, val], k) => { f.u64(dynOff + k * 16, tag); f.u64(dynOff + k * 16 + 8, val); });
  return f.b;
}

export interface MachoSpec {
  dylibs?: { name: string; weak?: boolean }[];
  rpaths?: string[];
  /** LC_ID_DYLIB: makes an MH_DYLIB. */
  id?: string;
}

/** A thin x86-64 Mach-O (MH_EXECUTE, or MH_DYLIB with `id`) loading libSystem and the given dylibs. */
export function macho(spec: MachoSpec = {}): Uint8Array {
  const cmds: Uint8Array[] = [];
  const cmd = (id: number, fixed: number[], s: string) => cmds.push(loadCommand(id, fixed, s));
  if (spec.id) cmd(0xd /* LC_ID_DYLIB */, [24, 0, 0x10000, 0x10000], spec.id);
  else cmd(0xe /* LC_LOAD_DYLINKER */, [12], '/usr/lib/dyld');
  cmd(0xc, [24, 0, 0x051f0000, 0x10000], '/usr/lib/libSystem.B.dylib');
  for (const d of spec.dylibs ?? []) cmd(d.weak ? 0x80000018 : 0xc, [24, 0, 0x10000, 0x10000], d.name);
  for (const r of spec.rpaths ?? []) cmd(0x8000001c /* LC_RPATH */, [12], r);
  const sizeofcmds = cmds.reduce((n, c) => n + c.length, 0);
  const f = new Out(32 + sizeofcmds + 64);
  f.u32(0, 0xfeedfacf); f.u32(4, 0x01000007); f.u32(8, 3); f.u32(12, spec.id ? 6 : 2);
  f.u32(16, cmds.length); f.u32(20, sizeofcmds); f.u32(24, spec.id ? 0x100085 : 0x200085);
  let at = 32;
  for (const c of cmds) { f.bytes(at, c); at += c.length; }
  return f.b;
}
