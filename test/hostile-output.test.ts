/**
 * Output injection: a pull request controls every string in the binaries it builds and every file name. None of it
 * may start a line of output (a GitHub workflow command), move the terminal, or break a machine format. Hostile
 * binaries and file names are built at test time and fed through every command and format.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { inspectSource } from '../src/inspect.js';
import { evaluate } from '../src/plan/evaluate.js';
import { renderVerifyGithub } from '../src/report/github.js';
import { renderVerifyJunit } from '../src/report/junit.js';
import { renderInspectTable } from '../src/report/table.js';
import { escapeCodePoint, visible } from '../src/report/text.js';
import { renderVerifyTable } from '../src/report/verify-table.js';
import { BIN, sample } from './helpers.js';
import { HOSTILE, elfWithNames, machoWithNames } from './hostile-strings.js';
import { elfLit, plan } from './plan-helpers.js';
import { parseXml } from './xml.js';

const NAMES = Object.values(HOSTILE);
/** Any of these in human output means a value was printed raw. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/u;
const FILE_LF = 'x\n::error title=pwned::from-file-name';
const FILE_ESC = 'esc\u001b]0;title\u0007name';
const TEXT_LF = 'notes\n::error title=stderr::from-a-text-file.txt';

let dir: string;

function run(args: string[], columns = 200) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir, encoding: 'utf8', env: { ...process.env, COLUMNS: String(columns), NO_COLOR: '1' }, maxBuffer: 64 << 20,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

/** Human output: no raw control, separator, bidi or non-character; no line starting with "::". */
function human(out: string, what: string) {
  expect(out, what).not.toMatch(RAW);
  for (const line of out.split('\n')) expect(line.startsWith('::'), `${what}: ${JSON.stringify(line)}`).toBe(false);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-hostile-out-'));
  writeFileSync(join(dir, 'hostile-elf'), elfWithNames(NAMES, ['$ORIGIN/\u001b[31mred', HOSTILE.workflowLf]));
  writeFileSync(join(dir, 'hostile-macho'), machoWithNames(NAMES, [HOSTILE.terminal, HOSTILE.workflowCrlf]));
  copyFileSync(sample('elf/glibc-pie'), join(dir, FILE_LF));
  copyFileSync(sample('elf/glibc-pie'), join(dir, FILE_ESC));
  writeFileSync(join(dir, TEXT_LF), 'just text\n');
  writeFileSync(join(dir, 'linkplan.toml'), '[[artifact]]\npath = "**"\npreset = "musl-static"\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile strings in every output', () => {
  it('the binaries carry the strings exactly (JSON is the exact record)', () => {
    const r = run(['inspect', '--json', '.']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const byPath = new Map(j.binaries.map((b: { path: string }) => [b.path, b]));
    expect((byPath.get('hostile-elf') as { needed: string[] }).needed).toEqual(NAMES);
    expect((byPath.get('hostile-macho') as { needed: string[] }).needed).toEqual(['/usr/lib/libSystem.B.dylib', ...NAMES]);
    expect(byPath.has(FILE_LF) && byPath.has(FILE_ESC)).toBe(true);
    // Only printable JSON: every control character escaped by JSON.stringify.
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it.each([
    ['the default table', ['inspect', '.'], 200],
    ['a narrow table (one block per binary)', ['inspect', '.'], 40],
    ['--long', ['inspect', '--long', '.'], 200],
    ['--long, narrow', ['inspect', '--long', '.'], 30],
  ])('inspect, %s', (what, args, cols) => {
    const r = run(args as string[], cols as number);
    expect(r.code).toBe(0);
    human(r.stdout, `${what} stdout`);
    human(r.stderr, `${what} stderr`);
    // The names are shown, escaped: the reader still sees what the binary says.
    expect(r.stdout).toContain('x\\n::error title=pwned::');
    expect(r.stdout).toContain('lib\\x1b[2J\\x1b]0;owned\\x07');
  });

  it('the stderr line of a file that cannot be analysed', () => {
    const r = run(['inspect', TEXT_LF, FILE_LF]);
    expect(r.code).toBe(2);
    human(r.stdout, 'stdout');
    human(r.stderr, 'stderr');
    expect(r.stderr).toBe('linkplan: notes\\n::error title=stderr::from-a-text-file.txt: not an ELF, PE or Mach-O binary\n');
  });

  it.each(['table', 'json', 'sarif', 'junit', 'github'])('verify --format %s', (format) => {
    const r = run(['verify', '--format', format, '--all', '.']);
    expect(r.code).toBe(1);
    human(r.stderr, 'stderr');
    switch (format) {
      case 'table':
        human(r.stdout, 'table');
        expect(r.stdout).toContain('/opt/x\\n::error title=injected::from-dylib-name');
        break;
      case 'json': case 'sarif': {
        const j = JSON.parse(r.stdout);
        expect(JSON.stringify(j)).toContain(JSON.stringify(HOSTILE.workflowLf).slice(1, -1));
        expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
        break;
      }
      case 'junit': {
        // Valid XML whose values are visible text, as in the human formats: a CI step printing the report, or a
        // JUnit-to-annotation action, gets no line break, ESC or bidi override from a binary.
        const doc = parseXml(r.stdout);
        expect(JSON.stringify(doc)).toContain(JSON.stringify(visible(HOSTILE.workflowLf)).slice(1, -1));
        human(r.stdout, 'junit');
        expect(r.stdout).not.toMatch(/&#10;|&#13;/);
        break;
      }
      case 'github': {
        // One per cause: a finding sharing its primary's cause is named in that annotation (docs/plan.md).
        const findings = JSON.parse(run(['verify', '--format', 'json', '.']).stdout).findings
          .filter((f: { primary?: number }) => f.primary === undefined).length;
        const lines = r.stdout.trimEnd().split('\n');
        const commands = lines.filter((l) => l.startsWith('::'));
        // Every "::" line is one of ours, and there is one per finding: none was forged from a value.
        expect(commands).toHaveLength(findings);
        for (const l of commands) expect(l).toMatch(/^::(error|warning) file=[^,:\r]*,title=[^,:\r]*::[^\r\u2028\u2029\u0085]*$/u);
        expect(lines.filter((l) => !l.startsWith('::'))).toEqual([expect.stringMatching(/^linkplan: \d+ binaries checked/)]);
        break;
      }
    }
  });
});

describe('the sanitizer and the renderers, over fact literals', () => {
  it('visible() escapes controls, separators, bidi, non-characters and lone surrogates, and caps length', () => {
    expect(visible('a\nb\rc\td\u001be\u007f\u0085')).toBe('a\\nb\\rc\\td\\x1be\\x7f\\x85');
    expect(visible('\u2028\u2029\u202e\u2066\ufeff\ufffe\uffff\ufdd0')).toBe('\\u{2028}\\u{2029}\\u{202e}\\u{2066}\\u{feff}\\u{fffe}\\u{ffff}\\u{fdd0}');
    expect(visible('lone \ud800 and \udfff')).toBe('lone \\u{d800} and \\u{dfff}');
    expect(visible('astral \u{1fffe} and emoji \u{1f600}')).toBe('astral \\u{1fffe} and emoji \u{1f600}');
    expect(visible('plain Ünïcödé 漢字 C:\\Users')).toBe('plain Ünïcödé 漢字 C:\\Users');
    expect(visible('x'.repeat(5000), 10)).toBe(`${'x'.repeat(10)}… (4,990 more characters)`);
    expect(escapeCodePoint(0x1b)).toBe('\\x1b');
  });

  const lit = elfLit({
    path: 'bin/\u0001\ud800\ufffe\uffff',
    needed: ['lib\u0000nul.so', 'lib\ud83d.so', 'ok\u{10ffff}.so', 'pair\u{1f600}.so', 'x\u{10fffe}\udc00.so', ...NAMES],
  });
  const report = evaluate(plan('[[artifact]]\npath = "**"\nneeded.allow = ["libc.so.*"]\n'), [lit]);

  it('JUnit is well-formed XML 1.0 whatever the names hold (every forbidden code point, lone surrogates too)', () => {
    const xml = renderVerifyJunit(report);
    const doc = parseXml(xml);
    expect(doc.name).toBe('testsuites');
    expect(JSON.stringify(doc)).toContain('bin/\\\\x01\\\\u{d800}\\\\u{fffe}\\\\u{ffff}');
  });

  it('tables and annotations rendered in-process hold no raw control character', () => {
    human(renderVerifyTable(report, { all: true }), 'verify table');
    human(renderInspectTable({
      binaries: [lit], symlinks: [{ path: 'l\nink', target: '\u001b[2J', inTree: false }],
      notes: [{ path: 'a.tgz!\n::x', code: 'link-escapes', target: '\n::error::x' }], skipped: 0,
    }, { width: 200 }), 'inspect table');
    human(renderInspectTable({ binaries: [lit], symlinks: [], notes: [], skipped: 0 }, { width: 200, long: true }), 'inspect --long');
    for (const l of renderVerifyGithub(report).trimEnd().split('\n')) {
      if (l.startsWith('::')) expect(l).toMatch(/^::(error|warning) file=[^,:\r\n]*,title=[^,:\r\n]*::/);
    }
  });

  it('a facts literal straight from the reader: names survive inspectSource unchanged', () => {
    const r = inspectSource(new MemorySource(machoWithNames([HOSTILE.workflowLf]), 'm'), 'm');
    expect(r.error).toBeNull();
    if (r.format !== "macho" || r.error !== null) throw new Error("not read");
    expect(r.dylibs.map((d) => d.name)).toContain(HOSTILE.workflowLf);
  });
});
