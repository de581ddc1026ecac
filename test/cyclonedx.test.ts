import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { ROOT, cli, sample } from './helpers.js';

/** The official CycloneDX 1.6 schema and the two it references (test/fixtures/cyclonedx/README.md), offline. */
function validator() {
  const dir = join(ROOT, 'test/fixtures/cyclonedx');
  const load = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
  // draft-07 as the schema's $schema says; its formats (iri-reference, idn-email…) are not what we test.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema(load('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(load('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

describe('inspect --format cyclonedx', () => {
  const validate = validator();
  const L = (n: string) => sample(`elf/libs/${n}`);

  it('is a valid CycloneDX 1.6 BOM: static libraries nested with evidence, dynamic ones as dependencies', () => {
    const r = cli(['inspect', '-f', 'cyclonedx', L('openssl-static'), L('zlib-static-stripped'), L('zlib-dynamic'), L('sqlite-static')]);
    expect(r.code).toBe(0);
    const bom = JSON.parse(r.stdout);
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    const byName = (n: string) => bom.components.find((c: { name: string }) => c.name === n);
    expect(byName('openssl-static').components).toMatchObject([{ type: 'library', name: 'openssl', version: '3.0.19' }]);
    expect(byName('openssl-static').components[0].evidence.identity[0].methods[0].technique).toBe('binary-analysis');
    expect(byName('zlib-static-stripped').components).toMatchObject([{ name: 'zlib', version: '1.2.13' }]);
    expect(byName('sqlite-static').components).toMatchObject([{ name: 'sqlite3', version: '3.40.1' }]);
    expect(byName('zlib-dynamic').components).toBeUndefined();
    const dep = bom.dependencies.find((d: { ref: string }) => d.ref === 'binary:' + L('zlib-dynamic'));
    expect(dep.dependsOn).toContain('needed:libz.so.1');
    expect(byName('libz.so.1')).toMatchObject({ type: 'library', 'bom-ref': 'needed:libz.so.1' });
  });

  it('a whole sample tree, failures included, is still valid', () => {
    const bom = JSON.parse(cli(['inspect', '-f', 'cyclonedx', sample('elf'), sample('misc')]).stdout);
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('an unknown format is refused', () => {
    expect(cli(['inspect', '-f', 'spdx', L('zlib-static')]).code).toBe(2);
  });
});

describe('audit --format cyclonedx', () => {
  const validate = validator();

  it('the BOM of what was audited, each finding a linkplan:finding property of its binary; the exit code is the audit\'s', () => {
    const r = cli(['audit', '-f', 'cyclonedx', sample('elf/libs/own-malloc-musl'), sample('elf/libs/openssl-static'), sample('elf-tree/bin/use-rpath')]);
    expect(r.code).toBe(1); // use-rpath needs libfoo.so.1, which is not in its input
    const bom = JSON.parse(r.stdout);
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const props = (n: string) => (bom.components.find((c: { name: string }) => c.name === n).properties as { name: string; value: string }[])
      .filter((p) => p.name === 'linkplan:finding').map((p) => p.value);
    expect(props('own-malloc-musl')).toEqual([expect.stringMatching(/^warning unprefixed-allocator: defines malloc, free, calloc, realloc itself/)]);
    expect(props('use-rpath')).toEqual([expect.stringMatching(/^error unshipped-dependency: needs libfoo\.so\.1/)]);
    expect(bom.components.find((c: { name: string }) => c.name === 'openssl-static').components).toMatchObject([{ name: 'openssl', version: '3.0.19' }]);
  });
});
