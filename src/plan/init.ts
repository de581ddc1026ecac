/**
 * `linkplan plan init --target <rust triple> [--crt-static | --no-crt-static]`: a starting plan that encodes what
 * crt-static means on each platform. One artifact matching every binary (`path = "**"`), so
 * `linkplan plan init … > linkplan.toml && linkplan verify <files>` works as is.
 */
import { editDistance as distance, MAX_SUGGEST_LENGTH, quote } from './limits.js';
import { canonicalArch } from './rules/arch.js';
import { applyPreset, PRESETS, type PresetName } from './presets.js';
import type { Expectations } from './schema.js';
import { RUST_TARGETS, RUSTC_VERSION } from './targets.js';

export type TargetFamily = 'linux-musl' | 'linux-gnu' | 'windows-msvc' | 'windows-gnu' | 'apple-darwin';

export interface Target {
  triple: string;
  arch: string;
  family: TargetFamily;
}

/** The families plan init writes a plan for, as patterns over the triple (for messages). */
const FAMILIES = '*-linux-musl*, *-linux-gnu*, *-windows-msvc, *-windows-gnu, *-windows-gnullvm, *-apple-darwin';

/** The plan family of a triple, from its vendor/os/env components; null when linkplan has none for it. */
function familyOf(triple: string): TargetFamily | null {
  const rest = triple.split('-').slice(1).join('-');
  if (/(^|-)linux-musl/.test(rest)) return 'linux-musl';
  if (/(^|-)linux-gnu/.test(rest)) return 'linux-gnu';
  if (/(^|-)windows-msvc$/.test(rest)) return 'windows-msvc';
  if (/(^|-)windows-gnu(llvm)?$/.test(rest)) return 'windows-gnu';
  if (/^apple-darwin$/.test(rest)) return 'apple-darwin';
  return null;
}

/**
 * Rust's own names decide what a target is: a triple is whatever `rustc --print target-list` lists, and some have
 * two components (wasm32-wasip1, avr-none), so the shape of the string proves nothing. A listed target without a
 * plan family is "unsupported"; anything else is not a Rust target, with the nearest listed names as a hint.
 */
export function parseTarget(triple: string): Target | { error: string } {
  if (!RUST_TARGETS.includes(triple)) {
    const near = nearestTargets(triple);
    const hint = near.length ? `; did you mean ${near.join(' or ')}?` : '';
    return { error: `${quote(triple)} is not a Rust target (rustc ${RUSTC_VERSION} --print target-list)${hint}` };
  }
  const family = familyOf(triple);
  if (family === null) return { error: `${triple} is a Rust target, but linkplan has no plan family for it (supported: ${FAMILIES})` };
  return { triple, family, arch: targetArch(triple.split('-')[0]) };
}

/**
 * Up to 3 listed targets within a few edits of what was typed, nearest first. Bounded: an argument longer than
 * MAX_SUGGEST_LENGTH gets none (the edit distance is quadratic), and the list has a few hundred short entries.
 */
export function nearestTargets(s: string): string[] {
  if (s.length > MAX_SUGGEST_LENGTH || s.length === 0) return [];
  const a = s.toLowerCase();
  const max = Math.max(2, Math.floor(a.length / 4));
  const scored: [number, string][] = [];
  for (const t of RUST_TARGETS) {
    // A typed prefix of a target (`x86_64-unknown-linux`) is as near as the edits needed to complete it.
    const d = t.startsWith(a) && a.includes('-') ? 1 : distance(a, t);
    if (d <= max) scored.push([d, t]);
  }
  return scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1)).slice(0, 3).map(([, t]) => quote(t));
}

/** The architecture name facts use for a triple's first component. */
function targetArch(a: string): string {
  if (/^riscv64/.test(a)) return 'riscv64';
  if (/^riscv32/.test(a)) return 'riscv32';
  if (/^(armv7|armv6|armv5te|arm$|thumbv7)/.test(a)) return 'arm';
  if (/^i[3-6]86$/.test(a)) return 'i386';
  return canonicalArch(a);
}

/** crt-static when the flag is not given: rustc's default, on for musl, off elsewhere. */
export function defaultCrtStatic(family: TargetFamily): boolean {
  return family === 'linux-musl';
}

/**
 * What a target family's build gives, with and without crt-static: the one source of both `plan init`'s output and
 * the target defaults an artifact with `target = "…"` starts from. `why`: the comment plan init writes above it.
 */
export interface TargetDefault { preset?: PresetName; expect: Expectations; why: string[] }

export const TARGET_DEFAULTS: Record<TargetFamily, { static: TargetDefault | null; dynamic: TargetDefault }> = {
  'linux-musl': {
    static: {
      // libc: a static binary proven to carry glibc is no musl build; a stripped one is often unknown, which holds.
      preset: 'musl-static', expect: { libc: ['musl', 'unknown', 'none'] }, why: [
        'crt-static on musl: a fully static or static-PIE executable, no program interpreter, no NEEDED.',
        'A shared object cannot be linked this way (rustc ignores crt-static for cdylibs), so a .so is flagged.',
        'A static binary proven to carry glibc is not a musl build (a stripped one, libc unknown, holds).',
      ],
    },
    dynamic: { preset: 'musl-dynamic', expect: {}, why: ['Dynamically linked against musl: interpreter /lib/ld-musl-<arch>.so.1, NEEDED libc.so.'] },
  },
  'linux-gnu': {
    static: {
      expect: { linkage: ['static', 'static-pie'], interpreter: false, needed: { allow: [] } }, why: [
        'crt-static on glibc: a static-PIE (rustc\'s default) or, with -C relocation-model=static, a fully static',
        'executable; no program interpreter, no NEEDED. A shared object cannot be linked this way (rustc ignores',
        'crt-static for cdylibs on gnu targets), so a .so is flagged.',
      ],
    },
    dynamic: { expect: { linkage: ['dynamic'], libc: ['glibc'] }, why: ['Dynamically linked against glibc (rustc\'s default on gnu targets).'] },
  },
  'windows-msvc': {
    static: {
      preset: 'msvc-crt-static', expect: {}, why: [
        'crt-static on windows-msvc: every EXE and DLL carries its own static CRT (/MT):',
        'no vcruntime140, msvcp140, ucrtbase or api-ms-win-crt-* imports.',
        'A debug CRT (vcruntime140d.dll, ucrtbased.dll) is always flagged unless crt lists "msvc-debug".',
      ],
    },
    dynamic: {
      preset: 'msvc-crt-dynamic', expect: {}, why: [
        'The default on windows-msvc: the CRT comes from vcruntime140.dll and the UCRT (/MD).',
        'A debug CRT (vcruntime140d.dll, ucrtbased.dll) is always flagged unless crt lists "msvc-debug".',
      ],
    },
  },
  'windows-gnu': {
    static: {
      expect: { crt: ['mingw-msvcrt', 'mingw-ucrt'], needed: { forbid: ['libgcc_s*.dll', 'libwinpthread*.dll', 'libstdc++*.dll'] } }, why: [
        'MinGW: the C runtime is msvcrt.dll or, for *-gnullvm and UCRT toolchains, the UCRT.',
        'crt-static on windows-gnu: libgcc, libstdc++ and winpthreads are linked in, so none of their DLLs is imported.',
      ],
    },
    dynamic: { expect: { crt: ['mingw-msvcrt', 'mingw-ucrt'] }, why: ['MinGW: the C runtime is msvcrt.dll or, for *-gnullvm and UCRT toolchains, the UCRT.'] },
  },
  'apple-darwin': {
    // macOS has no static libSystem: crt-static is refused (NO_STATIC_LIBSYSTEM).
    static: null,
    dynamic: {
      preset: 'macos-app', expect: {}, why: [
        'macOS: only Apple system dylibs plus ones bundled relative to the binary (@rpath, @loader_path),',
        'and LC_RPATH entries anchored at @loader_path / @executable_path.',
      ],
    },
  },
};

const noStaticLibSystem = (triple: string) =>
  `crt-static has no effect on ${triple}: macOS has no static libSystem, so every executable links /usr/lib/libSystem.B.dylib (use --no-crt-static)`;

/** The defaults of one target, or why there are none; `crtStatic` undefined: rustc's default for the family. */
export function targetDefault(triple: string, crtStatic?: boolean): { target: Target; crtStatic: boolean; dflt: TargetDefault } | { error: string } {
  const t = parseTarget(triple);
  if ('error' in t) return t;
  const cs = crtStatic ?? defaultCrtStatic(t.family);
  const d = cs ? TARGET_DEFAULTS[t.family].static : TARGET_DEFAULTS[t.family].dynamic;
  if (!d) return { error: noStaticLibSystem(triple) };
  return { target: t, crtStatic: cs, dflt: d };
}

/** The expectations a target default stands for: its preset's, its own keys, and the target's arch. */
export function targetExpectations(d: TargetDefault, arch: string[]): Expectations {
  return applyPreset(d.preset ? PRESETS[d.preset].expect : undefined, { ...d.expect, arch });
}

/** The channels `plan init --channel` knows: the presets that say how a release reaches its users. */
export const CHANNELS = ['distro', 'tarball', 'app-bundle', 'homebrew-formula', 'windows-portable', 'windows-installer'] as const satisfies
  readonly PresetName[];
export type Channel = (typeof CHANNELS)[number];

function channelLines(channel: Channel): string[] {
  const p = PRESETS[channel];
  return [
    `# Channel ${channel}: ${p.doc}`,
    ...('deps' in p.expect ? ['# Its deps.* keys resolve every binary: give the target system as `linkplan verify --root DIR|ARCHIVE`.'] : []),
    `preset = "${channel}"`,
  ];
}

/** A channel name, or why not (with the nearest one). */
export function parseChannel(name: string): Channel | { error: string } {
  if ((CHANNELS as readonly string[]).includes(name)) return name as Channel;
  const near = name.length <= MAX_SUGGEST_LENGTH ? CHANNELS.find((c) => distance(c, name.toLowerCase()) <= 2) : undefined;
  return { error: `${quote(name)} is not a channel (expected ${CHANNELS.join(', ')})${near ? `; did you mean ${quote(near)}?` : ''}` };
}

/**
 * The plan init writes: one artifact matching every binary, stating only its target (and crt-static where it is not
 * rustc's default) and its channel; the target defaults and the channel's preset supply the rest, and the comments
 * say what they are. Without a target, the channel alone.
 */
export function initPlan(triple: string | undefined, crtStatic?: boolean, channel?: Channel): { text: string } | { error: string } {
  if (triple === undefined) {
    if (channel === undefined) return { error: 'plan init needs --target <rust target triple>, --channel <channel>, or both' };
    return { text: [...HEADER(`the ${channel} channel`), `name = "${channel}"`, 'path = "**"', ...channelLines(channel)].join('\n') + '\n' };
  }
  const r = targetDefault(triple, crtStatic);
  if ('error' in r) return r;
  const { target: t, crtStatic: cs, dflt } = r;
  const csNote = crtStatic === undefined ? ` (the default for ${t.family} targets)` : '';
  const lines: string[] = [
    ...HEADER(`${t.triple}, ${cs ? 'crt-static' : 'no crt-static'}${csNote}`),
    `name = "${t.triple}${cs ? ' crt-static' : ''}${channel ? `, ${channel}` : ''}"`,
    'path = "**"',
    ...dflt.why.map((w) => `# ${w}`),
    `# The target's defaults (\`linkplan plan show\` prints them): ${describeDefault(dflt, t.arch)}.`,
    '# Set any key here to differ from them.',
    `target = "${t.triple}"`,
    ...(cs !== defaultCrtStatic(t.family) ? [`crtStatic = ${cs}`] : []),
  ];
  if (channel) {
    const both = reconcile(targetExpectations(dflt, [t.arch]), PRESETS[channel].expect);
    if ('conflict' in both) {
      return {
        error: `--channel ${channel} asks for ${both.conflict}, but ${t.triple}${cs ? ' with crt-static' : ' without crt-static'} gives `
          + `${both.target}: no binary holds both (choose another channel, or ${cs ? '--no-crt-static' : '--crt-static'}, or write the plan by hand)`,
      };
    }
    lines.push(...channelLines(channel), ...both.lines);
  }
  return { text: lines.join('\n') + '\n' };
}

/**
 * A channel preset over a target's defaults. The preset sets its keys on the artifact, so each would replace the
 * target's (a windows-installer channel's crt list would let an /MD DLL through a crt-static target): where both set
 * a list, the plan states what both allow (their intersection; for needed.forbid, what either forbids). A key both
 * set and no value satisfies is a conflict, refused rather than written as a plan no binary can hold.
 */
function reconcile(target: Expectations, channel: Expectations): { lines: string[] } | { conflict: string; target: string } {
  const lines: string[] = [];
  const t = target as Record<string, unknown>, c = channel as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    const a = t[k], b = c[k];
    if (a === undefined) continue;
    if (Array.isArray(a) && Array.isArray(b)) {
      const common = b.filter((x) => a.includes(x));
      if (!common.length) return { conflict: `${k} = ${JSON.stringify(b)}`, target: `${k} = ${JSON.stringify(a)}` };
      if (common.length < b.length) lines.push(`# ${k}: what both the target and the channel allow.`, `${k} = ${JSON.stringify(common)}`);
    } else if (k === 'needed' && a && b && typeof a === 'object' && typeof b === 'object') {
      const na = a as NonNullable<Expectations['needed']>, nb = b as NonNullable<Expectations['needed']>;
      if (na.forbid && nb.forbid) {
        const all = [...new Set([...nb.forbid, ...na.forbid])];
        if (all.length > nb.forbid.length) lines.push('# needed.forbid: what the target or the channel forbids.', `needed.forbid = ${JSON.stringify(all)}`);
      }
      if (na.allow && nb.allow) {
        const common = nb.allow.filter((x) => na.allow!.includes(x));
        if (common.length < nb.allow.length) lines.push(`needed.allow = ${JSON.stringify(common)}`);
      }
    } else if (JSON.stringify(a) !== JSON.stringify(b) && (typeof a !== 'object' || typeof b !== 'object')) {
      return { conflict: `${k} = ${JSON.stringify(b)}`, target: `${k} = ${JSON.stringify(a)}` };
    }
  }
  return { lines };
}

/** The lines every plan init output starts with, up to its one artifact's table. */
const HEADER = (what: string): string[] => [
  `# linkplan plan for ${what}.`,
  '# Written by `linkplan plan init`; every key is described in docs/plan.md.',
  '# The one artifact below matches every binary given to `linkplan verify`: narrow `path` to your build',
  '# outputs (e.g. "target/*/release/myapp") and add an [[artifact]] per kind of output.',
  'version = 1',
  '# A binary no artifact matches is a violation: every file handed to verify must be planned.',
  'unmatched = "error"',
  '# Not what ships, in Cargo\'s target/ (run verify from the workspace; with CARGO_TARGET_DIR, write its path here):',
  '# build scripts (host programs), proc-macros and dependencies (deps/), incremental state and dep-info files. Only',
  '# under target/: a release tarball\'s own release/deps/ folder is what ships, and is checked.',
  'ignore = ["target/**/build/**", "target/**/deps/**", "target/**/incremental/**", "target/**/.fingerprint/**", "target/**/*.d"]',
  '',
  '[[artifact]]',
];

/** `preset = "musl-static", arch = "x86_64"`: a target default as the keys it stands for. */
function describeDefault(d: TargetDefault, arch: string): string {
  const keys = Object.entries(d.expect).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.entries(v).map(([s, x]) => `${k}.${s} = ${JSON.stringify(x)}`) : [`${k} = ${JSON.stringify(v)}`]));
  return [...(d.preset ? [`preset = "${d.preset}"`] : []), ...keys, `arch = "${arch}"`].join(', ');
}
