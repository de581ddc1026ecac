import { describeFinding } from '../plan/messages.js';
import type { Finding, VerifyReport } from '../plan/model.js';
import { escapeCodePoint, visible } from './text.js';

/**
 * XML 1.0 §2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. Anything else
 * (most C0 controls, lone surrogates, U+FFFE/U+FFFF) may not appear even as a character reference, so it is written
 * as visible text (`\x01`, `\u{fffe}`); the characters §2.2 discourages (C1 controls, the other non-characters)
 * are too, since JUnit readers reject them. Markup characters become entities.
 */
// A surrogate pair first (kept unless it is a non-character), then what needs escaping: markup, tab/CR/LF, C0/C1
// controls, a lone surrogate, the BMP non-characters.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\ud800-\udbff][\udc00-\udfff]|[&<>"\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]/g;

function xmlText(s: string, attribute: boolean): string {
  return s.replace(SPECIAL, (ch) => {
    const c = ch.codePointAt(0)!;
    if (ch.length === 2) return (c & 0xfffe) === 0xfffe ? escapeCodePoint(c) : ch;
    if (c === 0x26) return '&amp;';
    if (c === 0x3c) return '&lt;';
    if (c === 0x3e) return '&gt;';
    if (c === 0x22) return '&quot;';
    // Attribute-value normalisation (§3.3.3) would turn a literal tab or line break into a space.
    if (c === 0x09 || c === 0x0a || c === 0x0d) return attribute ? `&#${c};` : ch;
    return escapeCodePoint(c);
  });
}

// What a binary or a path says goes through visible() first, as in the human formats: JUnit reports are printed by
// CI steps and turned into annotations, where a raw line break (a line starting "::error::"), ESC or a bidi override
// would act. The report's own line breaks (a failure's detail) stay; every value in them is one visible line.
const esc = (s: string) => xmlText(visible(s), true);
const escText = (s: string) => xmlText(s, false);

interface Case { name: string; classname: string; failures: Finding[]; warnings: Finding[]; error?: string }

function detail(f: Finding): string {
  const v = (x: unknown) => visible(String(x));
  const ev = f.evidence.map((e) => `  ${v(e.field)} = ${v(e.value)}`).join('\n');
  const head = v(`${f.file}${f.slices ? ` [${f.slices.join(', ')}]` : ''}: ${describeFinding(f)}`);
  const layer = f.layer ? `\n  layer: ${v(f.layer)}` : '';
  return `${head}\n  field: ${v(f.field)}\n  expected: ${v(JSON.stringify(f.expected))}\n  actual: ${v(JSON.stringify(f.actual))}${layer}` +
    (ev ? `\n  evidence:\n${ev}` : '');
}

interface Suite { xml: string; tests: number; failures: number; errors: number }

function suite(name: string, cases: Case[]): Suite {
  const failures = cases.filter((c) => c.failures.length).length;
  const errors = cases.filter((c) => c.error !== undefined).length;
  const body = cases.map((c) => {
    const attrs = `name="${esc(c.name)}" classname="${esc(c.classname)}"`;
    const parts: string[] = [];
    if (c.failures.length) {
      const first = c.failures[0];
      parts.push(`      <failure message="${esc(describeFinding(first))}" type="${esc(first.rule)}">${escText(c.failures.map(detail).join('\n'))}</failure>`);
    }
    if (c.error !== undefined) parts.push(`      <error message="${esc(c.error)}" type="unanalysable">${escText(visible(c.error))}</error>`);
    if (c.warnings.length) parts.push(`      <system-out>${escText(c.warnings.map((f) => `warning: ${detail(f)}`).join('\n'))}</system-out>`);
    return parts.length ? `    <testcase ${attrs}>\n${parts.join('\n')}\n    </testcase>` : `    <testcase ${attrs}/>`;
  });
  const head = `  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0">`;
  const xml = `${head}\n${body.join('\n')}${body.length ? '\n' : ''}  </testsuite>`;
  return { xml, tests: cases.length, failures, errors };
}

/**
 * `verify --format junit`: one testsuite per plan artifact, one testcase per binary × rule it checked
 * (classname = the binary, name = the rule id), failing on error-severity findings. Plan-level findings
 * (missing artifacts, unmatched binaries) and files that could not be analysed get suites of their own.
 */
export function renderVerifyJunit(r: VerifyReport, opts: { audit?: boolean } = {}): string {
  const split = (fs: Finding[]) => ({ failures: fs.filter((f) => f.severity === 'error'), warnings: fs.filter((f) => f.severity === 'warning') });
  const byArtifact = new Map<string, Case[]>();
  for (const c of r.checks) {
    const list = byArtifact.get(c.artifact) ?? [];
    list.push({ name: c.rule, classname: c.file, ...split(c.findings.map((i) => r.findings[i])) });
    byArtifact.set(c.artifact, list);
  }
  // An audit records a check only where a hygiene rule found something: each binary that passed them all is one
  // passing testcase, so a clean audit shows what it checked (not tests="0").
  if (opts.audit) {
    const seen = new Set(r.checks.map((c) => c.file));
    const clean = r.binaries.filter((b) => b.status !== 'error' && !seen.has(b.file));
    if (clean.length) {
      const list = byArtifact.get('audit') ?? [];
      for (const b of clean) list.push({ name: 'hygiene', classname: b.file, failures: [], warnings: [] });
      byArtifact.set('audit', list);
    }
  }
  const suites = [...byArtifact].map(([name, cases]) => suite(name, cases));
  const planCases: Case[] = r.findings
    .filter((f) => f.rule === 'artifact-missing' || f.rule === 'unmatched-binary' || f.rule === 'archive-member' || f.rule === 'nothing-checked')
    .map((f) => ({ name: f.rule, classname: f.rule === 'artifact-missing' ? `${f.file}: ${f.artifact}` : f.file, ...split([f]) }));
  if (planCases.length) suites.push(suite(`plan ${r.plan.file}`, planCases));
  if (r.errors.length) {
    suites.push(suite('unanalysable', r.errors.map((e) => ({ name: 'analyse', classname: e.file, failures: [], warnings: [], error: e.message }))));
  }

  const sum = (k: 'tests' | 'failures' | 'errors') => suites.reduce((n, s) => n + s[k], 0);
  const body = suites.map((s) => s.xml + '\n').join('');
  const totals = `tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}"`;
  const name = `linkplan ${opts.audit ? 'audit' : 'verify'} ${esc(r.plan.file)}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name}" ${totals}>\n${body}</testsuites>\n`;
}
