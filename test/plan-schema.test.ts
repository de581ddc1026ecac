/**
 * The plan's JSON Schema (schema/linkplan.schema.json) is generated from the same description as the validator;
 * this keeps the committed file equal to it, and checks both agree on every sample and bad plan.
 * Regenerate with: UPDATE_SCHEMA=1 npx vitest run test/plan-schema.test.ts
 */
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { ARTIFACT_SPEC, EXPECTATION_SPECS, PLAN_SPEC, planJsonSchema } from '../src/plan/schema.js';
import { parsePlan } from '../src/plan/load.js';
import { PRESET_NAMES, PRESETS } from '../src/plan/presets.js';
import { ROOT } from './helpers.js';

const SCHEMA_FILE = join(ROOT, 'schema/linkplan.schema.json');
const generated = JSON.stringify(planJsonSchema(), null, 2) + '\n';
if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, generated);
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}
/** The plan data inside a file, as the schema sees it (the metadata table of a Cargo.toml). */
function planData(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return JSON.parse(text);
  const doc = parseToml(text) as any;
  if (file.endsWith('Cargo.toml')) return doc.package?.metadata?.linkplan ?? doc.workspace?.metadata?.linkplan;
  return doc;
}

const GOOD = [join(ROOT, 'samples/linkplan.toml'), ...files(join(ROOT, 'samples/plans')), ...files(join(ROOT, 'test/fixtures/plans'))];
const BAD = files(join(ROOT, 'test/fixtures/bad-plans'));

describe('plan JSON Schema', () => {
  it('schema/linkplan.schema.json is the one generated from the validator (UPDATE_SCHEMA=1 to rewrite)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(generated);
  });

  it('lists exactly the keys the validator knows, at every level', () => {
    const t = PLAN_SPEC as Extract<typeof PLAN_SPEC, { t: 'table' }>;
    expect(Object.keys(schema.properties)).toEqual(Object.keys(t.props));
    const a = ARTIFACT_SPEC as Extract<typeof ARTIFACT_SPEC, { t: 'table' }>;
    expect(Object.keys(schema.properties.artifact.items.properties)).toEqual(Object.keys(a.props));
    expect(Object.keys(a.props)).toEqual(expect.arrayContaining(Object.keys(EXPECTATION_SPECS)));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.artifact.items.additionalProperties).toBe(false);
    expect(schema.properties.artifact.items.properties.preset.enum).toEqual(PRESET_NAMES);
  });

  it.each(GOOD.map((f) => [f.slice(ROOT.length + 1), f]))('accepts %s, as the validator does', (_n, f) => {
    expect(parsePlan(readFileSync(f, 'utf8'), f)).toHaveProperty('plan');
    const ok = validate(planData(f));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  // What JSON Schema cannot see: TOML/JSON syntax, glob syntax, a Cargo.toml without the table.
  const SCHEMA_BLIND = [
    'syntax.toml', 'syntax.json', 'malformed-glob.toml', 'malformed-needed-glob.toml', 'cargo-no-table/Cargo.toml', 'cargo-both/Cargo.toml',
  ];
  it.each(BAD.map((f) => [f.slice(ROOT.length + 1), f]))('rejects %s, as the validator does', (n, f) => {
    expect(parsePlan(readFileSync(f, 'utf8'), f)).toHaveProperty('error');
    if (SCHEMA_BLIND.some((b) => n.endsWith(b))) return;
    expect(validate(planData(f))).toBe(false);
  });

  it('every preset is itself a valid set of expectations', () => {
    for (const name of PRESET_NAMES) {
      const artifact = { path: '**', ...PRESETS[name].expect };
      expect(validate({ artifact: [artifact] }), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('docs/plan.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/plan.md'), 'utf8');
  it('documents every key, preset, rule id and known library', async () => {
    const { RULE_IDS } = await import('../src/plan/enums.js');
    const { KNOWN_LIB_NAMES } = await import('../src/plan/known-libs.js');
    const t = PLAN_SPEC as Extract<typeof PLAN_SPEC, { t: 'table' }>;
    const a = ARTIFACT_SPEC as Extract<typeof ARTIFACT_SPEC, { t: 'table' }>;
    const nested = ['needed', 'dylibs', 'deps', 'libs'];
    const keys = [...Object.keys(t.props), ...Object.keys(a.props).filter((k) => !nested.includes(k)), 'needed.allow', 'needed.forbid', 'dylibs.allow',
      'deps.resolve', 'deps.allow-provenance', 'deps.provided', 'libs.<name>'];
    const missing = [...keys, ...PRESET_NAMES, ...RULE_IDS, ...KNOWN_LIB_NAMES].filter((k) => !doc.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
