/**
 * The JSON Schema of `linkplan diff --format json`, published as schema/diff.schema.json (a test keeps the file
 * equal to this and validates real output against it). Args are described per change kind; the mapped type
 * makes a kind without its args schema a compile error.
 */
import { CHANGE_KINDS } from '../plan/enums.js';
import type { ChangeKind } from '../plan/model.js';
import { DIFF_SCHEMA_VERSION } from './model.js';

type JsonSchema = Record<string, unknown>;

const S: JsonSchema = { type: 'string' };
const SN: JsonSchema = { type: ['string', 'null'] };
const SB: JsonSchema = { type: ['string', 'boolean'] };
const LIST: JsonSchema = { type: 'array', items: S };
const N: JsonSchema = { type: 'integer', minimum: 0 };
const oldNew = (t: JsonSchema) => ({ old: t, new: t });
const FLOOR = { floor: { enum: ['glibc', 'glibcxx', 'cxxabi', 'gcc'] }, ...oldNew(SN), version: SN, library: SN };
const FEATURE = { feature: { enum: ['RELRO', 'BIND_NOW', 'NX', 'TEXTREL', 'DYNAMIC_BASE', 'HIGH_ENTROPY_VA', 'GUARD_CF'] }, ...oldNew(SB) };

const ARGS: { [K in ChangeKind]: Record<string, JsonSchema> } = {
  'binary-added': { format: SN }, 'binary-removed': { format: SN }, 'binary-moved': { from: S, to: S },
  'format-changed': oldNew(S), 'arch-changed': oldNew(S), 'type-changed': oldNew(S), 'linkage-changed': oldNew(SN),
  'pie-lost': { type: S }, 'pie-gained': { type: S }, 'interpreter-changed': oldNew(SN), 'libc-changed': oldNew(S),
  'needed-added': { field: S, name: S, position: N }, 'needed-removed': { field: S, name: S }, 'needed-reordered': { field: S, ...oldNew(LIST) },
  'delay-import-added': { name: S }, 'delay-import-removed': { name: S }, 'dylib-kind-changed': { name: S, ...oldNew(S) },
  'rpath-added': { field: S, entry: S }, 'rpath-removed': { field: S, entry: S }, 'rpath-switched': { ...oldNew(S), entries: LIST },
  'rpath-reordered': { field: S, ...oldNew(LIST) },
  'soname-changed': { field: S, ...oldNew(SN) }, 'floor-raised': FLOOR, 'floor-lowered': FLOOR,
  'platform-changed': { ...oldNew(S), oldMinOS: SN, newMinOS: SN },
  'min-os-raised': { platform: SN, ...oldNew(SN) }, 'min-os-lowered': { platform: SN, ...oldNew(SN) }, 'sdk-changed': oldNew(SN),
  'crt-changed': oldNew(S), 'hardening-lost': FEATURE, 'hardening-gained': FEATURE,
  'slice-added': { arch: S }, 'slice-removed': { arch: S }, unreadable: { code: S, message: S },
};

const SUMMARY_KEYS = ['binaries', 'changed', 'added', 'removed', 'moved', 'changes', 'regressions', 'improvements', 'neutral', 'allowed', 'counted', 'errors'];

const obj = (properties: Record<string, JsonSchema>, extra: JsonSchema = {}): JsonSchema =>
  ({ type: 'object', properties, required: Object.keys(properties), additionalProperties: false, ...extra });

export function diffJsonSchema(): JsonSchema {
  const change = {
    type: 'object',
    required: ['kind', 'severity', 'file', 'oldPath', 'newPath', 'subject', 'args', 'allowed', 'counts'],
    properties: {
      kind: { enum: [...CHANGE_KINDS] },
      severity: { enum: ['regression', 'improvement', 'neutral'] },
      file: S, oldPath: SN, newPath: SN, slice: S, subject: SN, args: { type: 'object' },
      allowed: { type: 'boolean' }, counts: { type: 'boolean' },
    },
    additionalProperties: false,
    allOf: CHANGE_KINDS.map((k) => ({ if: { properties: { kind: { const: k } } }, then: { properties: { args: obj(ARGS[k]) } } })),
  };
  const count = { type: 'integer', minimum: 0 };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'linkplan diff report',
    description: 'What changed in linkage between two builds (linkplan diff --format json). Prose is not part of it: kinds and args are data.',
    ...obj({
      schemaVersion: { const: DIFF_SCHEMA_VERSION },
      tool: obj({ name: { const: 'linkplan' }, version: S }),
      old: obj({ input: S }), new: obj({ input: S }),
      gate: obj({ failOn: { anyOf: [{ type: 'null' }, LIST] }, allow: LIST }),
      binaries: {
        type: 'array',
        items: obj({ file: S, oldPath: SN, newPath: SN, status: { enum: ['same', 'changed', 'added', 'removed', 'moved', 'error'] } }),
      },
      changes: { type: 'array', items: change },
      errors: { type: 'array', items: obj({ side: { enum: ['old', 'new'] }, file: S, code: S, message: S }) },
      notes: { type: 'array', items: obj({ side: { enum: ['old', 'new'] }, file: S, code: { enum: ['shadowed'] } }) },
      summary: obj(Object.fromEntries(SUMMARY_KEYS.map((k) => [k, count]))),
    }),
  };
}
