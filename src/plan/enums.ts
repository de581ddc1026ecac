/**
 * The closed vocabularies a plan may use, as runtime lists. Each is checked against the facts' own type, so a new
 * verdict in facts/ that a plan cannot name fails to compile here.
 */
import type { BinaryType, Libc } from '../facts/types.js';
import type { CrtVerdict } from '../facts/pe.js';
import type { MachoDylibClass } from '../facts/macho.js';
import type { ChangeKind, RuleId } from './model.js';
import type { Provenance } from '../resolve/model.js';

/** Compile-time proof that an array lists every member of T (and nothing else). */
export const allOf = <T>() =>
  <const A extends readonly T[]>(a: A & ([T] extends [A[number]] ? unknown : { missing: Exclude<T, A[number]> })): A => a;

export const BINARY_TYPES = allOf<BinaryType>()(['executable', 'shared-library', 'relocatable', 'core', 'bundle', 'dylinker', 'debug-info', 'other']);
export const LIBCS = allOf<Libc>()(['glibc', 'musl', 'bionic', 'uclibc', 'freebsd', 'ucrt', 'msvcrt', 'libsystem', 'none', 'unknown']);
/** broken-static-pie is a verdict, never an expectation: nothing can ask for it. */
export const PLAN_LINKAGES = ['static', 'static-pie', 'dynamic'] as const;
export type PlanLinkage = (typeof PLAN_LINKAGES)[number];

/** PeFacts.crt verdicts. `msvc-debug` is forbidden unless a plan lists it. */
export const CRTS = allOf<CrtVerdict>()([
  'msvc-static', 'msvc-dynamic', 'msvc-hybrid', 'msvc-debug', 'mingw-msvcrt', 'mingw-ucrt', 'legacy-msvcr', 'none', 'unknown',
]);
export type Crt = (typeof CRTS)[number];

/** MachoFacts dylib classes. */
export const DYLIB_CLASSES = allOf<MachoDylibClass>()(['apple-system', 'homebrew', 'relative', 'absolute-other']);
export type DylibClass = (typeof DYLIB_CLASSES)[number];

/** Where a resolved dependency comes from (src/resolve provenance classes). */
export const PROVENANCE_CLASSES = allOf<Provenance>()(['system', 'apple-system', 'homebrew', 'crt', 'bundled', 'other']);
/** deps.resolve: "inside-root", every dependency found inside the shipped tree or archive, or in the system. */
export const DEPS_RESOLVE = ['inside-root'] as const;
export type DepsResolve = (typeof DEPS_RESOLVE)[number];

export const RPATH_POLICIES = ['no-absolute', 'anchored-to-origin'] as const;
export type RpathPolicy = (typeof RPATH_POLICIES)[number];

export const RELRO_LEVELS = ['full', 'partial'] as const;
export const LEVELS = ['error', 'warn', 'off'] as const;
export const UNMATCHED_POLICIES = ['error', 'warn', 'ignore'] as const;
export type UnmatchedPolicy = (typeof UNMATCHED_POLICIES)[number];

export const RULE_IDS = allOf<RuleId>()([
  'binary-type', 'linkage', 'libc', 'pie', 'interpreter', 'needed-allow', 'needed-forbid', 'rpath', 'runpath',
  'search-paths', 'soname', 'install-name', 'crt', 'crt-debug', 'delay-imports', 'glibc-max', 'macos-min', 'arch',
  'relro', 'bind-now', 'nx-stack', 'textrel', 'dylibs-allow', 'deps-resolve', 'deps-provenance', 'libs', 'artifact-missing',
  'unmatched-binary', 'archive-member',
  'nothing-checked',
  'build-path', 'unanchored-search-path', 'unshipped-dependency', 'debug-crt', 'homebrew-path', 'pdb-path',
  'text-relocations', 'exec-stack', 'slices-disagree', 'glibc-floor', 'unprefixed-allocator',
]);

/** Every change kind of `linkplan diff`, for plans (`[diff] allow`) and --fail-on. */
export const CHANGE_KINDS = allOf<ChangeKind>()([
  'binary-added', 'binary-removed', 'binary-moved', 'format-changed', 'arch-changed', 'type-changed', 'linkage-changed',
  'pie-lost', 'pie-gained', 'interpreter-changed', 'libc-changed', 'needed-added', 'needed-removed', 'needed-reordered',
  'delay-import-added', 'delay-import-removed', 'dylib-kind-changed', 'rpath-added', 'rpath-removed', 'rpath-switched', 'rpath-reordered',
  'soname-changed', 'floor-raised', 'floor-lowered', 'platform-changed', 'min-os-raised', 'min-os-lowered', 'sdk-changed', 'crt-changed',
  'hardening-lost', 'hardening-gained', 'slice-added', 'slice-removed', 'unreadable',
]);
