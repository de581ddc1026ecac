/**
 * The linkplan web inspector: the page. Bytes are read in a worker (worker.ts); here the results become the rows,
 * the detail view, the audit, the plan's verdicts, the diff and the exports, each through the same core functions
 * the CLI calls (src/cli/*-command.ts), so what the page shows and exports is what `linkplan` prints.
 */
import {
  ARCHIVE_NOTES, CHANGE_MARK, INSPECT_COLUMNS, RUST_TARGETS, changeLine, changesByBinary, describeFinding, detailRows, diffCounts, diffOutcome, diffReports,
  diffVerdict, formatPlanError, initPlan, inspectBlockRows, inspectRowCells, inspectSource, isFailed, isPackage, loadPlan, MemorySysroot, outcome,
  parseTarget, planResolves, renderDiffJson, linkNote, renderDiffMarkdown, renderInspectJson, renderVerifyJson, renderVerifyMarkdown,
  renderVerifySarif, renderVerifyTable, ShippedTrees, startAudit, startEvaluation, visible, type ArchiveKind, type BinaryFacts, type BinaryResult,
  type DiffReport, type MachoSlice, type Plan, type PlanError, type ShippedInput, type ShippedResolveOptions, type VerifyReport,
} from 'linkplan';
import { $, cellLines, el, fill, lines, table } from './dom.js';
import type { ReadEvent, Side, WorkerMessage } from './protocol.js';

/** package.json's version, put in by the build (web/vite.config.ts). */
declare const __LINKPLAN_VERSION__: string;
const version = __LINKPLAN_VERSION__;

/** What one read (a drop, or a diff side) has produced so far. */
interface Batch {
  id: number; names: string[]; events: ReadEvent[]; results: Extract<ReadEvent, { kind: 'result' }>[]; done: boolean; stopped: boolean;
}

const batches: Record<Side, Batch | null> = { main: null, old: null, new: null };
let nextBatch = 1;
let worker: Worker;
let selected: number | null = null;
let readsDone = 0;

function startWorker(): void {
  worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => onWorker(e.data);
}

const sideOf = (id: number): Side | null => (Object.keys(batches) as Side[]).find((s) => batches[s]?.id === id) ?? null;

function read(side: Side, files: File[]): void {
  if (!files.length) return;
  // A read this one replaces stops: its results would be dropped anyway.
  const prev = batches[side];
  if (prev && !prev.done) { prev.stopped = true; worker.postMessage({ type: 'stop', batch: prev.id }); }
  const b: Batch = { id: nextBatch++, names: files.map((f) => f.name), events: [], results: [], done: false, stopped: false };
  batches[side] = b;
  if (side === 'main') { selected = null; resetRows(); fill($('notes')); fill($('detail')); }
  showProgress(side, 0, files.reduce((n, f) => n + f.size, 0), files[0].name);
  worker.postMessage({ type: 'read', batch: b.id, side, files });
  refresh(side);
}

function onWorker(m: WorkerMessage): void {
  const side = sideOf(m.batch);
  if (!side) return; // a read that was replaced or stopped
  const b = batches[side]!;
  if (b.stopped) return;
  switch (m.type) {
    case 'events':
      for (const e of m.events) {
        b.events.push(e);
        if (e.kind === 'result') {
          b.results.push(e);
          if (side === 'main') addRow(b.results.length - 1, e.result);
        }
      }
      break;
    case 'progress': showProgress(side, m.read, m.total, m.file); break;
    case 'done': b.done = true; readsDone++; hideProgress(); refresh(side); break;
    case 'failed':
      b.done = true;
      readsDone++;
      hideProgress();
      $('errors').append(el('li', {}, `linkplan: ${m.message}`));
      refresh(side);
      break;
    default: {
      const never: never = m;
      return never;
    }
  }
}

// --- progress ---------------------------------------------------------------------------------------------------

function showProgress(side: Side, at: number, total: number, file: string): void {
  const bar = $<HTMLProgressElement>('progress');
  $('progress-box').hidden = false;
  bar.max = Math.max(1, total);
  bar.value = at;
  const pct = total ? Math.floor((100 * at) / total) : 100;
  fill($('progress-text'), `${side === 'main' ? 'Reading' : `Reading the ${side} build:`} ${file} — ${pct}% (${mb(at)} of ${mb(total)})`);
}

const mb = (n: number) => (n < 1 << 20 ? `${(n / 1024).toFixed(0)} KiB` : `${(n / (1 << 20)).toFixed(1)} MiB`);

function hideProgress(): void {
  if ((Object.values(batches) as (Batch | null)[]).some((b) => b && !b.done)) return;
  $('progress-box').hidden = true;
}

/** Stop: the worker drops what it is reading (within one member) and what it sends for it is ignored. */
function stop(): void {
  for (const b of Object.values(batches)) {
    if (b && !b.done) { b.done = true; b.stopped = true; readsDone++; worker.postMessage({ type: 'stop', batch: b.id }); }
  }
  hideProgress();
  if (batches.main?.stopped) $('errors').append(el('li', {}, 'stopped: what is shown was read before the stop, the rest was not'));
  for (const s of Object.keys(batches) as Side[]) refresh(s);
}

// --- rows and details -------------------------------------------------------------------------------------------

const COLUMNS = INSPECT_COLUMNS.map((h) => (h === 'type' ? 'format / type' : h));
const FIELDS = ['path', 'arch', 'type', 'linkage', 'libc', 'pie', 'needed', 'search'];

/** One line per file that could not be read: as the CLI prints it, `path: what was wrong`. */
const errorLine = (r: BinaryResult) => (isFailed(r) ? `${r.path}: ${r.error.message}` : '');

/**
 * Rows and error lines put on the page at a time. A table re-lays out as a whole when it grows: 10,000 rows would
 * hold the page for seconds on every batch, so the rest wait behind "Show more" (the exports carry every binary).
 */
const PAGE_ROWS = 1000;
const shown = { rows: 0, limit: PAGE_ROWS, errors: 0, binaries: 0, hiddenErrors: 0, hidden: [] as number[] };

function resetRows(): void {
  Object.assign(shown, { rows: 0, limit: PAGE_ROWS, errors: 0, binaries: 0, hiddenErrors: 0, hidden: [] });
  fill($('rows'));
  fill($('errors'));
  updateMore();
}

function addRow(i: number, r: BinaryResult): void {
  if (isFailed(r)) {
    if (shown.errors < PAGE_ROWS) { shown.errors++; $('errors').append(el('li', { 'data-path': r.path }, errorLine(r))); } else shown.hiddenErrors++;
  } else {
    shown.binaries++;
    if (shown.hidden.length === 0 && shown.rows < shown.limit) appendRow(i, r);
    else shown.hidden.push(i);
  }
  updateMore();
}

function appendRow(i: number, r: BinaryFacts): void {
  shown.rows++;
  const cells = inspectRowCells(r);
  const open = el('button', { type: 'button', class: 'link', 'aria-label': `details of ${visible(r.path)}` }, cells[0]);
  open.addEventListener('click', () => showDetail(i));
  const tr = el('tr', { 'data-index': String(i) },
    el('th', { scope: 'row', 'data-field': 'path' }, open),
    ...cells.slice(1).map((c, k) => el('td', { 'data-field': FIELDS[k + 1] }, c)));
  tr.classList.toggle('static', r.linkage === 'static' || r.linkage === 'static-pie');
  $('rows').append(tr);
}

function showMore(): void {
  const b = batches.main;
  if (!b) return;
  shown.limit += PAGE_ROWS;
  for (const i of shown.hidden.splice(0, PAGE_ROWS)) appendRow(i, b.results[i].result as BinaryFacts);
  updateMore();
}

function updateMore(): void {
  const more = $<HTMLButtonElement>('more');
  more.hidden = shown.hidden.length === 0;
  fill(more, `Show ${Math.min(PAGE_ROWS, shown.hidden.length).toLocaleString('en-US')} more (${shown.hidden.length.toLocaleString('en-US')} not shown)`);
  fill($('count'), `${shown.binaries.toLocaleString('en-US')} binaries${shown.hidden.length ? `, ${shown.rows.toLocaleString('en-US')} shown` : ''}`);
  const n = shown.hiddenErrors.toLocaleString('en-US');
  fill($('errors-more'), shown.hiddenErrors ? `… and ${n} more files that could not be analysed (the exports list them)` : '');
}

/** Links and archive notes, in the inspect table's words: reported, never followed or obeyed. */
function renderNotes(b: Batch): void {
  // Links first, then notes, as the table prints them.
  const lines = [
    ...b.events.flatMap((e) => (e.kind === 'link'
      ? [`${e.link.hardlink ? 'hardlink' : 'symlink'}: ${e.link.path} -> ${e.link.target} (${linkNote(e.link)})`] : [])),
    ...b.events.flatMap((e) => (e.kind === 'note' ? [`archive: ${e.note.path}: ${ARCHIVE_NOTES[e.note.code](e.note.target)} (${e.note.code})`] : [])),
  ];
  const skipped = b.events.filter((e) => e.kind === 'skipped').length;
  if (skipped) lines.push(`${skipped} non-binary file${skipped === 1 ? '' : 's'} skipped`);
  fill($('notes'), ...lines.map((l) => el('li', {}, l)));
}

function showDetail(i: number): void {
  const b = batches.main;
  const e = b?.results[i];
  if (!e || isFailed(e.result)) return;
  selected = i;
  const f = e.result;
  const lib = e.withLibs && !isFailed(e.withLibs) ? e.withLibs : null;
  const rows = [...inspectBlockRows(f), ...detailRows(f, true)];
  const box = $('detail');
  fill(box,
    el('h2', { id: 'detail-title', tabindex: '-1' }, `Details: ${f.path}`),
    el('table', { class: 'facts', 'aria-labelledby': 'detail-title' },
      el('tbody', {}, ...rows.map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', {}, cellLines(v)))))),
    slicesTable(f),
    evidenceTable('Evidence each verdict rests on', f.evidence),
    f.warnings.length ? el('div', {}, el('h3', {}, 'Warnings'),
      el('ul', {}, ...f.warnings.map((w) => el('li', {}, `${w.code}: ${w.detail}${w.offset !== undefined ? ` (at ${w.offset})` : ''}`)))) : null,
    lib?.libs ? libsTable(lib) : null,
    el('details', {}, el('summary', {}, 'Every fact (the JSON `inspect --json` writes for this binary)'), el('pre', {}, jsonText(f))),
  );
  $('detail-title').focus();
}

/** JSON, each line passed through visible(): JSON escapes control characters, not bidi overrides. */
const jsonText = (v: unknown) => lines(JSON.stringify(v, null, 2));

function evidenceTable(caption: string, ev: Record<string, { field: string; value: unknown }[]>): HTMLElement {
  const rows = Object.entries(ev).flatMap(([verdict, xs]) => xs.map((x) => [verdict, x.field, JSON.stringify(x.value)]));
  return table(caption, ['verdict', 'field', 'value'], rows.length ? rows : [['—', '—', '—']], { class: 'evidence' });
}

/** A universal binary's slices side by side: one column per slice, the facts that can differ between them. */
function slicesTable(f: BinaryFacts): HTMLElement | null {
  if (f.format !== 'macho' || !f.slices?.length) return null;
  const sl = f.slices;
  const list = (xs: readonly string[]) => cellLines(xs.length ? [...xs] : ['—']);
  const facts: [string, (s: MachoSlice) => string | Node][] = [
    ['type', (s) => s.type],
    ['linkage', (s) => s.linkage ?? '—'],
    ['libc', (s) => s.libc],
    ['PIE', (s) => (s.pie === null ? '—' : s.pie ? 'yes' : 'no')],
    ['install name', (s) => s.installName ?? '—'],
    ['platform / min OS', (s) => `${s.platform ?? '?'} ${s.minOS ?? '?'}`],
    ['needed', (s) => list(s.needed)],
    ['rpaths', (s) => list(s.rpaths)],
    ['UUID', (s) => s.macho.uuid ?? '—'],
    ['linkage summary', (s) => s.macho.linkageSummary],
    ['evidence', (s) => list(Object.entries(s.evidence).flatMap(([k, xs]) => xs.map((x) => `${k}: ${x.field}=${JSON.stringify(x.value)}`)))],
  ];
  return el('table', { class: 'slices' },
    el('caption', {}, 'Universal slices side by side'),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'fact'), ...sl.map((s) => el('th', { scope: 'col' }, s.macho.archName)))),
    el('tbody', {}, ...facts.map(([k, g]) => el('tr', {}, el('th', { scope: 'row' }, k), ...sl.map((s) => el('td', {}, g(s)))))));
}

function libsTable(f: BinaryFacts): HTMLElement {
  const l = f.libs!;
  const ev = (x: (typeof l.libraries)[number]) => x.evidence.map((e) => `${e.field}=${JSON.stringify(e.value)}`).join(', ') || '—';
  return table(`Libraries inside (--libs: ${l.symbolView} symbols${l.truncated ? ', scan cut at its cap' : ''})`,
    ['library', 'verdict', 'variant', 'version', 'evidence'],
    l.libraries.length ? l.libraries.map((x) => [x.name, x.verdict, x.variant ?? '—', x.version ?? '—', ev(x)])
      : [['—', 'none found', '—', '—', '—']]);
}

// --- reports: inspect, audit, verify, diff ----------------------------------------------------------------------

/** `inspect --json` over what was read: the results as plain inspect reports them (no libraries unless asked). */
function inspectReport(b: Batch, libs: boolean): string {
  const symlinks = b.events.flatMap((e) => (e.kind === 'link' ? [e.link] : []));
  const notes = b.events.flatMap((e) => (e.kind === 'note' ? [e.note] : []));
  const skipped = b.events.filter((e) => e.kind === 'skipped').length;
  return renderInspectJson({ binaries: b.results.map((e) => (libs ? e.withLibs ?? e.result : e.result)), symlinks, notes, skipped }, version);
}

/** Where the dropped files are in the root the page resolves over (any path would do: reports do not show it). */
const DROPPED = '/dropped';

/**
 * The dropped files as the CLI's inputs (node/shipped.ts shippedInputs): an archive is a tree of its own at
 * `<name>!` (a package's files at `/` too); a file is seen beside the other files dropped, the directory a binary
 * named on the command line brings from disk (the page knows names only: the files dropped are that directory).
 */
function shippedInputs(b: Batch): ShippedInput[] {
  const kinds = new Map<number, ArchiveKind | null>();
  for (const e of b.events) if (e.kind === 'input') kinds.set(e.input, e.archive);
  const dir = new MemorySysroot();
  for (const name of b.names) dir.add(`/${name}`, new Uint8Array(0));
  // A file's facts, as the CLI's directory would read them (plainly, without libraries).
  for (const e of b.events) if (e.kind === 'result' && (kinds.get(e.input) ?? null) === null) dir.add(`/${e.result.path}`, { facts: e.result });
  return b.names.map((label, i): ShippedInput => {
    const kind = kinds.get(i) ?? null;
    if (kind === null) return { label, at: DROPPED, file: true, disk: dir };
    return { label, at: `${DROPPED}/${label}!`, ...(isPackage(kind, label) ? { package: true as const } : {}) };
  });
}

/**
 * The page has no target system: what it resolves against is an empty root, as `audit` has without --root (the C
 * library's own ELF libraries count as the system's, by table) and `verify --root` of an empty directory has.
 */
const resolveOver = (): ShippedResolveOptions => ({ base: new MemorySysroot(), inspect: inspectSource, rootLabel: 'no root (system libraries by table)' });

/** `audit` without a plan: each dropped file one input, as each path given to the CLI is, resolved as the CLI does. */
function auditReport(b: Batch): VerifyReport {
  const run = startAudit(null, {
    checksEvery: true, label: 'the hygiene rules (no linkplan.toml)', resolution: { ...resolveOver(), inputs: shippedInputs(b), root: false },
  });
  for (const e of b.events) {
    switch (e.kind) {
      case 'result': run.add(e.withLibs ?? e.result, e.inner, e.input); break;
      case 'skipped': run.shipped(e.path, e.input); break;
      case 'link': run.link(e.link.path, e.link.target, !!e.link.hardlink, e.input); break;
      case 'note': run.note(e.note); break;
      default: break;
    }
  }
  return run.finish();
}

/**
 * `verify` with the plan typed in: libraries read only where the plan asks about them, and, for a plan with deps.*
 * rules, each input held as a shipped tree and resolved once it is complete, as the CLI does.
 */
function verifyReport(b: Batch, plan: Plan): VerifyReport {
  const ev = startEvaluation(plan, {});
  const libs = plan.artifacts.some((a) => a.expect.libs !== undefined && Object.values(a.expect.libs).some((v) => v !== 'any'));
  const facts = (e: Extract<ReadEvent, { kind: 'result' }>) => (libs ? e.withLibs ?? e.result : e.result);
  if (!planResolves(plan)) {
    for (const e of b.events) {
      if (e.kind === 'result') ev.add(facts(e), e.inner);
      else if (e.kind === 'note') ev.note(e.note);
    }
    return ev.finish();
  }
  const trees = new ShippedTrees(shippedInputs(b));
  const opts = resolveOver();
  // An input is complete when the next one's events begin (they come input by input): the CLI's inputDone.
  const replay = () => trees.replay(opts, (r, inner, _i, resolve) => ev.add(r, inner, resolve));
  let input = 0;
  for (const e of b.events) {
    for (; input < e.input; input++) replay();
    switch (e.kind) {
      case 'result': trees.add(facts(e), e.inner, e.input); break;
      case 'skipped': trees.shipped(e.path, e.input); break;
      case 'link': trees.link(e.link.path, e.link.target, !!e.link.hardlink, e.input); break;
      case 'note': ev.note(e.note); break;
      default: break;
    }
  }
  replay();
  return ev.finish();
}

/** The CLI's own verdict line (the last line of its table). */
const verdictLine = (r: VerifyReport, audit: boolean) => renderVerifyTable(r, { audit, width: 120 }).trimEnd().split('\n').pop()!;

function findingsTable(r: VerifyReport, caption: string): HTMLElement {
  const rows = r.findings.map((f) => [f.severity, f.rule, f.file, `${f.slices ? `[${f.slices.join(', ')}] ` : ''}${describeFinding(f)}`]);
  return table(caption, ['severity', 'rule', 'file', 'finding'], rows.length ? rows : [['—', '—', '—', 'no findings']], { class: 'findings' });
}

function renderAudit(): void {
  const b = batches.main;
  const box = $('audit-out');
  if (!b || !b.done || !b.results.length) { fill(box, b && !b.done ? 'Reading…' : 'Drop files to audit them.'); return; }
  const r = auditReport(b);
  fill(box, el('p', { class: `verdict ${outcome(r)}`, role: 'status', id: 'audit-verdict' }, verdictLine(r, true)),
    findingsTable(r, 'Hygiene findings (no plan needed)'));
}

// --- the plan pane ----------------------------------------------------------------------------------------------

const planText = () => $<HTMLTextAreaElement>('plan').value;

/** Which plan syntax the text is, and the file name reports give it (the CLI's reports name the plan file). */
function planFile(text: string): { file: string; syntax: 'toml' | 'json' | 'cargo' } {
  if (/^\s*\{/.test(text)) return { file: 'linkplan.json', syntax: 'json' };
  if (/^\s*\[(package|workspace)\.metadata\.linkplan[\].]/m.test(text)) return { file: 'Cargo.toml', syntax: 'cargo' };
  return { file: 'linkplan.toml', syntax: 'toml' };
}

let planCache: { text: string; result: ReturnType<typeof loadPlan> } | null = null;
function currentPlan(): ReturnType<typeof loadPlan> | null {
  const t = planText();
  if (!t.trim()) return null;
  if (planCache?.text !== t) {
    const { file, syntax } = planFile(t);
    planCache = { text: t, result: loadPlan(t, file, syntax) };
  }
  return planCache.result;
}

/**
 * A plan error in the page's words. The core says that a plan with `extends` is loaded through loadPlanLayers, which
 * reads the files it names: true for a caller of the API, but the page has one text and no files to read.
 */
function inPage(e: PlanError): PlanError {
  if (!/(^|\.)extends$/.test(e.key ?? '') || !/loadPlanLayers/.test(e.message)) return e;
  return { ...e, message: 'this page cannot follow extends: a plan pasted here is one file, and the plans it extends are not here '
    + '(paste the effective plan instead: linkplan plan show prints it)' };
}

function renderPlan(): void {
  const box = $('plan-out');
  const p = currentPlan();
  if (!p) { fill(box, 'Type or paste a plan, or start from a target above.'); return; }
  if ('error' in p) {
    fill(box, el('p', { class: 'verdict unanalysable', role: 'status', id: 'plan-verdict' }, 'bad plan'),
      el('ul', { class: 'errors', id: 'plan-errors' }, ...p.errors.map((e) => el('li', {}, formatPlanError(inPage(e))))));
    return;
  }
  const b = batches.main;
  if (!b || !b.done || !b.results.length) {
    fill(box, el('p', { role: 'status', id: 'plan-verdict' }, `plan ok: ${p.plan.artifacts.length} artifact(s); drop files to check them`));
    return;
  }
  const r = verifyReport(b, p.plan);
  const files = new Set(r.binaries.map((x) => x.file));
  const byFile = new Map<string, string[]>();
  for (const f of r.findings) {
    const line = `${f.severity === 'error' ? '✗' : '!'} ${f.rule}: ${describeFinding(f)}`;
    const list = byFile.get(f.file);
    if (list) list.push(line);
    else byFile.set(f.file, [line]);
  }
  const rows = r.binaries.map((x) => [x.file, x.artifacts.join(', ') || '—', x.status, cellLines(byFile.get(x.file) ?? ['—'])]);
  fill(box, el('p', { class: `verdict ${outcome(r)}`, role: 'status', id: 'plan-verdict' }, verdictLine(r, false)),
    table('Verdicts per binary and artifact', ['binary', 'artifact', 'status', 'findings'], rows, { class: 'verdicts', id: 'plan-verdicts' }),
    // Plan-level findings (a missing artifact, nothing checked) are about no binary row; a Set, as the lists are attacker-sized.
    ...r.findings.filter((f) => !files.has(f.file)).map((f) => el('p', { class: 'plan-finding' }, `${f.severity}: ${f.file}: ${describeFinding(f)}`)));
}

/** The URL hash carries the plan (never bytes): `#plan=` and the text, base64url of its UTF-8. */
const HASH_MAX = 32 * 1024;
/** Put the plan in the hash; false when it is too long for a link (the hash is then cleared: no stale plan in it). */
function planToHash(): boolean {
  const t = planText();
  const bytes = new TextEncoder().encode(t);
  if (!t || bytes.length > HASH_MAX) { history.replaceState(null, '', location.pathname + location.search); return bytes.length <= HASH_MAX; }
  let s = '';
  for (const c of bytes) s += String.fromCharCode(c);
  history.replaceState(null, '', `#plan=${btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`);
  return true;
}

/** Copy a link to the page with the plan in it, or say why there is none (a link without the plan is not one to it). */
function copyLink(): void {
  if (planToHash()) { void copy(() => location.href, 'link'); return; }
  fill($('copy-status'), `the plan is too long for a link (over ${HASH_MAX / 1024} KiB in the address): copy the plan instead`);
}

function planFromHash(): string | null {
  const m = /^#plan=([A-Za-z0-9_-]*)$/.exec(location.hash);
  if (!m) return null;
  try {
    const bin = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

function planInit(): void {
  const target = $<HTMLSelectElement>('target').value;
  const cs = $<HTMLSelectElement>('crt-static').value;
  const r = initPlan(target, cs === 'default' ? undefined : cs === 'on');
  if ('error' in r) { fill($('plan-init-error'), r.error); return; }
  fill($('plan-init-error'));
  $<HTMLTextAreaElement>('plan').value = r.text;
  onPlanInput();
}

let planTimer: number | undefined;
function onPlanInput(): void {
  clearTimeout(planTimer);
  // The diff too: the plan's [diff] allow list decides which changes fail.
  planTimer = window.setTimeout(() => { planToHash(); renderPlan(); renderDiff(); renderExport(); }, 200);
}

// --- the diff pane ----------------------------------------------------------------------------------------------

function diffReport(): DiffReport | null {
  const o = batches.old, n = batches.new;
  if (!o?.done || !n?.done) return null;
  // As `linkplan diff OLD NEW`: one input per side is its root (stripped from its members' paths).
  const root = (b: Batch) => (b.names.length === 1 ? b.names[0] : '');
  const allow = (() => { const p = currentPlan(); return p && !('error' in p) ? p.plan.diff.allow : []; })();
  return diffReports(o.results.map((e) => e.result), n.results.map((e) => e.result), { oldRoot: root(o), newRoot: root(n), allow });
}

function renderDiff(): void {
  const box = $('diff-out');
  const r = diffReport();
  if (!r) { fill(box, batches.old && batches.new ? 'Reading…' : 'Pick an old and a new build to compare them.'); return; }
  const rows = changesByBinary(r).flatMap(({ file, changes }) => changes.map((c) => [file, `${CHANGE_MARK[c.severity]} ${c.severity}`, changeLine(c)]));
  // The CLI's verdict line (renderDiffTable's last); a side of several files has no one input to name.
  const input = (s: string, b: Batch | null) => (s ? visible(s) : `${b?.names.length ?? 0} files`);
  const line = `${diffVerdict(r)}: ${input(r.old.input, batches.old)} → ${input(r.new.input, batches.new)}: ${diffCounts(r)}`;
  fill(box,
    el('p', { class: `verdict ${diffOutcome(r)}`, role: 'status', id: 'diff-verdict' }, line),
    table('Linkage changes', ['binary', 'class', 'change'], rows.length ? rows : [['—', '—', 'no change']], { class: 'changes' }),
    r.errors.length ? el('ul', { class: 'errors' }, ...r.errors.map((e) => el('li', {}, `${e.side}: ${e.file}: ${e.message}`))) : null);
}

// --- exports ----------------------------------------------------------------------------------------------------

/** A report over the files read, once they are all read. */
const onMain = (f: (b: Batch) => string) => () => (batches.main?.done ? f(batches.main) : null);

const EXPORTS: Record<string, { label: string; file: string; make: () => string | null }> = {
  'inspect-json': { label: 'inspect --json', file: 'inspect.json', make: onMain((b) => inspectReport(b, false)) },
  'inspect-libs-json': { label: 'inspect --json --libs', file: 'inspect-libs.json', make: onMain((b) => inspectReport(b, true)) },
  'verify-json': { label: 'verify --format json', file: 'verify.json', make: () => withPlan((b, p) => renderVerifyJson(verifyReport(b, p), version)) },
  'verify-sarif': { label: 'verify --format sarif', file: 'verify.sarif', make: () => withPlan((b, p) => renderVerifySarif(verifyReport(b, p), version)) },
  'verify-markdown': { label: 'verify --format markdown', file: 'verify.md', make: () => withPlan((b, p) => renderVerifyMarkdown(verifyReport(b, p))) },
  'audit-json': { label: 'audit --format json', file: 'audit.json', make: onMain((b) => renderVerifyJson(auditReport(b), version)) },
  'audit-sarif': { label: 'audit --format sarif', file: 'audit.sarif', make: onMain((b) => renderVerifySarif(auditReport(b), version)) },
  'audit-markdown': { label: 'audit --format markdown', file: 'audit.md', make: onMain((b) => renderVerifyMarkdown(auditReport(b), { audit: true })) },
  'diff-json': { label: 'diff --format json', file: 'diff.json', make: () => { const r = diffReport(); return r && renderDiffJson(r, version); } },
  'diff-markdown': { label: 'diff --format markdown', file: 'diff.md', make: () => { const r = diffReport(); return r && renderDiffMarkdown(r); } },
};

function withPlan(f: (b: Batch, p: Plan) => string): string | null {
  const p = currentPlan();
  const b = batches.main;
  return b?.done && p && !('error' in p) ? f(b, p.plan) : null;
}

/** Can this export be made now? (Cheap: reports are made only when shown, downloaded or copied.) */
function ready(kind: string): boolean {
  const main = !!batches.main?.done;
  if (kind.startsWith('verify')) { const p = currentPlan(); return main && !!p && !('error' in p); }
  if (kind.startsWith('diff')) return !!batches.old?.done && !!batches.new?.done;
  return main;
}

/** A textarea lays out about a MiB of text a second: the preview holds this much, Download and Copy everything. */
const PREVIEW_MAX = 512 << 10;

/** What is shown is made on request: a 500 MB release's JSON is not rebuilt on every keystroke in the plan. */
function renderExport(): void {
  const kind = $<HTMLSelectElement>('export-kind').value;
  const ok = ready(kind);
  const area = $<HTMLTextAreaElement>('export-text');
  area.value = '';
  area.placeholder = ok ? 'Show, Download or Copy the report.'
    : kind.startsWith('verify') ? 'Needs files and a valid plan.' : kind.startsWith('diff') ? 'Needs an old and a new build.' : 'Needs files.';
  for (const id of ['export-show', 'export-download', 'export-copy']) $<HTMLButtonElement>(id).disabled = !ok;
}

const exportText = () => EXPORTS[$<HTMLSelectElement>('export-kind').value]?.make() ?? '';

function showExport(): void {
  const t = exportText();
  const cut = `${t.slice(0, PREVIEW_MAX)}\n… (the preview ends here: Download or Copy for all of it)`;
  $<HTMLTextAreaElement>('export-text').value = t.length > PREVIEW_MAX ? cut : t;
}

/** A download made from text in the page: a blob URL, nothing fetched. */
function download(): void {
  const kind = $<HTMLSelectElement>('export-kind').value;
  const a = el('a', { href: URL.createObjectURL(new Blob([exportText()], { type: 'text/plain' })), download: EXPORTS[kind].file });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function copy(textOf: () => string, status: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(textOf());
    fill($('copy-status'), `${status} copied`);
  } catch {
    fill($('copy-status'), 'the browser refused the clipboard: select the text and copy it');
  }
}

// --- wiring -----------------------------------------------------------------------------------------------------

function refresh(side: Side): void {
  if (side === 'main') {
    if (batches.main?.done) renderNotes(batches.main);
    renderAudit();
    renderPlan();
    if (selected !== null) showDetail(selected);
  } else renderDiff();
  renderExport();
  const app = $('app');
  app.dataset.state = (Object.values(batches) as (Batch | null)[]).some((b) => b && !b.done) ? 'reading' : 'idle';
  // How many reads have finished: what a test (or a script driving the page) waits on.
  app.dataset.reads = String(readsDone);
}

function pick(input: HTMLInputElement, side: Side): void {
  input.addEventListener('change', () => { read(side, [...(input.files ?? [])]); input.value = ''; });
}

function init(): void {
  startWorker();
  pick($<HTMLInputElement>('files'), 'main');
  pick($<HTMLInputElement>('old-files'), 'old');
  pick($<HTMLInputElement>('new-files'), 'new');
  const zone = $('drop');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    read('main', [...(e.dataTransfer?.files ?? [])]);
  });
  // A file dropped anywhere else is not opened by the browser (that would navigate away from the results).
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  $('stop').addEventListener('click', stop);
  $('more').addEventListener('click', showMore);
  fill($('head-row'), ...COLUMNS.map((h) => el('th', { scope: 'col' }, h)));

  const targets = $<HTMLSelectElement>('target');
  for (const t of RUST_TARGETS) if (!('error' in parseTarget(t))) targets.append(el('option', { value: t }, t));
  targets.value = 'x86_64-unknown-linux-musl';
  $('plan-init').addEventListener('click', planInit);
  $('plan').addEventListener('input', onPlanInput);
  $('plan-copy').addEventListener('click', () => void copy(planText, 'plan'));
  $('link-copy').addEventListener('click', copyLink);
  const fromHash = planFromHash();
  if (fromHash !== null) $<HTMLTextAreaElement>('plan').value = fromHash;

  const kinds = $<HTMLSelectElement>('export-kind');
  for (const [k, v] of Object.entries(EXPORTS)) kinds.append(el('option', { value: k }, v.label));
  kinds.addEventListener('change', renderExport);
  $('export-download').addEventListener('click', download);
  $('export-show').addEventListener('click', showExport);
  $('export-copy').addEventListener('click', () => void copy(exportText, 'report'));
  fill($('version'), `linkplan ${version}`);
  renderPlan();
  renderAudit();
  renderDiff();
  renderExport();
  $('app').dataset.state = 'idle';
}

init();
