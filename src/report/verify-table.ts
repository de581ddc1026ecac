import Table from 'cli-table3';
import { outcome } from '../plan/evaluate.js';
import { describeFinding, MESSAGES } from '../plan/messages.js';
import type { Finding, VerifyReport } from '../plan/model.js';

export interface VerifyTableOptions {
  width?: number;
  color?: boolean;
  /**
   * List every binary. By default only binaries with findings get a row and the ones that hold are counted in one
   * line, so a CI log over hundreds of binaries shows what is wrong (JSON, SARIF and JUnit always list everything).
   */
  all?: boolean;
}

const paint = (on: boolean | undefined, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * `verify` for people: one row per binary with findings (with `all`, per binary: its artifacts and either "ok" or
 * one line per finding), a line counting the binaries that hold, then the plan-level findings, the files that could
 * not be analysed, and a one-line verdict.
 */
export function renderVerifyTable(r: VerifyReport, opts: VerifyTableOptions = {}): string {
  const c = opts.color;
  const width = Math.max(60, opts.width ?? 120);
  const byFile = new Map<string, Finding[]>();
  for (const f of r.findings) {
    if (f.rule === 'artifact-missing') continue;
    byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  }
  const line = (f: Finding) =>
    `${f.severity === 'error' ? paint(c, 31, '✗') : paint(c, 33, '!')} ${f.rule}${f.slices ? ` [${f.slices.join(', ')}]` : ''}: ${describeFinding(f)}`;

  const analysed = r.binaries.filter((b) => b.status !== 'error');
  const shown = opts.all ? analysed : analysed.filter((b) => byFile.has(b.file));
  const quiet = analysed.length - shown.length;
  const rows = shown.map((b) => {
    const fs = byFile.get(b.file) ?? [];
    const result = fs.length ? fs.map(line).join('\n') : b.status === 'unmatched' ? '· not in the plan (ignored)' : paint(c, 32, '✓ ok');
    return [b.file, b.artifacts.join('\n') || '—', result];
  });
  const out: string[] = [];
  if (rows.length) {
    const fileW = Math.min(Math.max(...rows.map((x) => x[0].length), 6) + 2, Math.floor(width * 0.35));
    const artW = Math.min(Math.max(...rows.map((x) => Math.max(...x[1].split('\n').map((l) => l.length))), 8) + 2, Math.floor(width * 0.2));
    const resW = Math.max(20, width - fileW - artW - 4);
    const t = new Table({
      head: ['binary', 'artifact', 'result'],
      colWidths: [fileW, artW, resW],
      wordWrap: true,
      style: { head: c ? ['cyan'] : [], border: c ? ['grey'] : [] },
    });
    t.push(...rows);
    out.push(t.toString());
  }
  if (quiet) {
    const planned = analysed.filter((b) => !byFile.has(b.file) && b.status !== 'unmatched').length;
    const more = shown.length ? ' more' : '';
    const parts = [
      planned ? `${planned}${more} binar${planned === 1 ? 'y holds' : 'ies hold'} the plan` : '',
      quiet - planned ? `${quiet - planned}${planned ? '' : more} not in the plan (ignored)` : '',
    ].filter(Boolean);
    out.push(`${planned ? paint(c, 32, '✓') : '·'} ${parts.join('; ')} (--all lists every binary)`);
  }
  for (const f of r.findings.filter((x) => x.rule === 'artifact-missing')) out.push(`${f.severity === 'error' ? 'error' : 'warning'}: ${f.file}: ${MESSAGES[f.rule].title}: ${describeFinding(f)}`);
  for (const e of r.errors) out.push(`error: ${e.file}: could not be analysed: ${e.message}`);
  const s = r.summary;
  const verdict = { holds: paint(c, 32, 'plan holds'), violated: paint(c, 31, 'plan violated'), unanalysable: paint(c, 31, 'could not analyse every file') }[outcome(r)];
  out.push(
    `${verdict}: ${s.binaries} binar${s.binaries === 1 ? 'y' : 'ies'} checked against ${r.plan.file}${r.strict ? ' (strict)' : ''}: ` +
      `${s.passed} passed, ${s.failed} failed${s.unmatched ? `, ${s.unmatched} not in the plan` : ''}; ${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}` +
      `${s.unanalysable ? `; ${s.unanalysable} could not be analysed` : ''}`,
  );
  return out.join('\n') + '\n';
}
