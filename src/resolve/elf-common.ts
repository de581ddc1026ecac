/** What glibc and musl share: ELF facts of loaded objects, multiarch names, candidate files. */
import type { BinaryFacts, ElfFacts } from '../facts/types.js';
import { type Candidate, type Ctx, type Obj, open, step } from './engine.js';
import type { Step } from './model.js';
import { normalize } from './paths.js';

export const elfOf = (o: Obj): ElfFacts => o.facts as ElfFacts;

/** The ELF identity a loader compares: class, byte order, machine. */
export const ident = (f: ElfFacts) => `${f.elf.class} ${f.endian === 'little' ? 'LSB' : 'MSB'} ${f.elf.machine}`;

/**
 * Debian's multiarch tuples by e_machine (and class / byte order where one machine has several): the directories
 * glibc's SYSTEM_DIRS and ld.so.conf.d name on multiarch systems (https://wiki.debian.org/Multiarch/Tuples).
 */
export function multiarch(f: ElfFacts): string | null {
  const le = f.endian === 'little';
  switch (f.elf.eMachine) {
    case 62: return 'x86_64-linux-gnu';
    case 3: return 'i386-linux-gnu';
    case 183: return 'aarch64-linux-gnu';
    case 40: return 'arm-linux-gnueabihf';
    case 21: return le ? 'powerpc64le-linux-gnu' : 'powerpc64-linux-gnu';
    case 20: return 'powerpc-linux-gnu';
    case 8: return f.bits === 64 ? (le ? 'mips64el-linux-gnuabi64' : 'mips64-linux-gnuabi64') : (le ? 'mipsel-linux-gnu' : 'mips-linux-gnu');
    case 243: return 'riscv64-linux-gnu';
    case 22: return 's390x-linux-gnu';
    case 258: return 'loongarch64-linux-gnu';
    default: return null;
  }
}

/** AT_PLATFORM as the Linux kernel sets it (what glibc substitutes for $PLATFORM). */
export function platform(f: ElfFacts): string | null {
  switch (f.elf.eMachine) {
    case 62: return 'x86_64';
    case 3: return 'i686';
    case 183: return 'aarch64';
    case 21: return f.endian === 'little' ? 'ppc64le' : 'ppc64';
    case 22: return 's390x';
    default: return null;
  }
}

export interface Tried {
  /** found: a usable file; skip: of another class (glibc goes on); absent; bad: not loadable (loading fails). */
  kind: 'found' | 'skip' | 'absent' | 'bad';
  facts?: BinaryFacts;
  step: Step;
}

/** Look at one candidate path as the loader would: exists, is an ELF, of the main object's class and machine. */
export function tryElf(ctx: Ctx, path: string, via: string): Tried {
  if (!ctx.sysroot.isFile(path)) return { kind: 'absent', step: step('absent', { path, via }) };
  const o = open(ctx, path);
  if ('error' in o) return { kind: 'bad', step: step('unreadable', { path, via, reason: o.error }) };
  if (o.facts.format !== 'elf') return { kind: 'bad', step: step('unreadable', { path, via, reason: `a ${o.facts.format} file, not ELF` }) };
  const want = ident(elfOf(ctx.main)), got = ident(o.facts);
  if (want !== got) return { kind: 'skip', facts: o.facts, step: step('skip-wrong-class', { path, via, found: got, wanted: want }) };
  return { kind: 'found', facts: o.facts, step: step('found', { path, via }) };
}

/**
 * The program interpreter (PT_INTERP) of the executable resolved, looked for in the root: the kernel maps it before
 * anything else, and without it the program does not start (a finding). Null when there is none or it is not there.
 */
export function interpreterIn(ctx: Ctx): string | null {
  const p = elfOf(ctx.main).interpreter;
  if (!p || !p.startsWith('/')) return null;
  const path = normalize(p);
  if (ctx.sysroot.isFile(path)) { ctx.setup.push(step('interpreter', { path })); return path; }
  ctx.setup.push(step('interpreter-missing', { path }));
  ctx.findings.push({ code: 'missing-interpreter', severity: 'error', name: path, from: ctx.main.path, path: null });
  return null;
}

export const missing = (steps: Step[]): Candidate => ({ status: 'missing', path: null, provenance: null, steps: [...steps, step('not-found')] });

/** Split a search list as ld.so does (':' — and ';' for LD_LIBRARY_PATH), dropping empty entries. */
export const splitPath = (s: string, seps = /[:;]/) => s.split(seps).filter((x) => x !== '');
