/**
 * The web inspector in a real browser: Debian's Chromium, driven by playwright-core (nothing downloaded), over the
 * built page (web/dist, served on a random localhost port by scripts/web-serve.mjs). What the page shows and
 * exports must be what the CLI prints for the same files: inspect --json, verify and audit reports, diff; a
 * hostile file gives its one line and the page goes on; the page makes no request but for its own files.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT, sample } from './helpers.js';

// What the functions evaluated in the page use of its document (this project compiles tests without the DOM typings).
interface PageElement { id: string; dataset: Record<string, string | undefined>; textContent: string | null }
declare const document: { getElementById(id: string): PageElement | null; activeElement: PageElement | null };
declare class DataTransfer { items: { add(f: File): void } }

const DIST = join(ROOT, 'web', 'dist');
const SHOTS = join(ROOT, '.cache', 'web-screenshots');
const CHROMIUM = '/usr/bin/chromium';

/** Newest modification time under a directory (the page's sources), to rebuild a stale web/dist. */
function newest(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(p).filter((n) => n !== 'dist').map((n) => newest(join(p, n))));
}

/** The samples dropped, flat (the page sees file names only): one of each format, and a universal Mach-O. */
const FILES: Record<string, string> = {
  'musl-static': 'elf/musl-static', 'glibc-pie': 'elf/glibc-pie', 'libfoo.so.1': 'elf/libfoo.so.1', 'hello.exe': 'pe/mingw/hello.exe',
  'cxx-dyn.dll': 'pe/mingw/cxx-dyn.dll', 'hello-x86_64': 'macho/x86_64/bin/hello', 'hello-arm64': 'macho/arm64/bin/hello',
  'mismatch': 'macho/universal/bin/mismatch',
};

/** A ustar header (POSIX.1-2001) for a regular file: name, size, checksum; the rest zeros. */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('00000000000\0', 136);
  h.write('0', 156);
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

/** A release of `count` copies of one binary, gzip'd: big enough that reading it takes a while. */
async function bigTarball(path: string, bin: Buffer, count: number): Promise<void> {
  const pad = Buffer.alloc((512 - (bin.length % 512)) % 512);
  const gz = createGzip({ level: 1 });
  const done = pipeline(gz, createWriteStream(path));
  for (let i = 0; i < count; i++) {
    if (!gz.write(Buffer.concat([tarHeader(`big/bin/tool-${i}`, bin.length), bin, pad]))) await once(gz, 'drain');
  }
  gz.end(Buffer.alloc(1024));
  await done;
}

let tmp: string, dir: string, server: ChildProcess, ctx: BrowserContext, page: Page, origin: string;
const requests: Request[] = [];
/** Script errors and console errors of the page: a CSP violation or an exception shows here. */
const problems: string[] = [];
let requestsAtLoad = -1;
const ARCHIVES = ['pkg.tgz', 'pkg.txz', 'pkg.tar.zst', 'pkg.tbz2', 'pkg-1.0-py3-none-any.whl', 'pkg.deb'];
const names = [...Object.keys(FILES), ...ARCHIVES];
const inDir = (n: string) => join(dir, n);

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html')) || newest(join(ROOT, 'web')) > statSync(join(DIST, 'index.html')).mtimeMs ||
      newest(join(ROOT, 'src')) > statSync(join(DIST, 'index.html')).mtimeMs) {
    const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
    const b = spawnSync(process.execPath, [vite, 'build', '--config', join(ROOT, 'web/vite.config.ts')], { encoding: 'utf8' });
    expect(b.status, b.stdout + b.stderr).toBe(0);
  }
  mkdirSync(SHOTS, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'linkplan-web-'));
  dir = join(tmp, 'in');
  mkdirSync(dir);
  for (const [n, s] of Object.entries(FILES)) copyFileSync(sample(s), inDir(n));
  // A release tarball built here: two binaries, a text file; and a later build of it whose app lost its PIE.
  const pkg = (name: string, app: string) => {
    const root = join(tmp, name);
    mkdirSync(join(root, 'pkg/bin'), { recursive: true });
    mkdirSync(join(root, 'pkg/lib'));
    copyFileSync(sample(app), join(root, 'pkg/bin/app'));
    copyFileSync(sample('elf/libfoo.so.1'), join(root, 'pkg/lib/libfoo.so.1'));
    writeFileSync(join(root, 'pkg/README'), 'not a binary\n');
    const t = spawnSync('tar', ['-C', root, '-czf', inDir(name === 'old' ? 'pkg.tgz' : 'pkg-new.tgz'), 'pkg']);
    expect(t.status).toBe(0);
  };
  pkg('old', 'elf/glibc-pie');
  pkg('new', 'elf/glibc-nopie');
  // The same release in every other compression and the zips people ship: each read in the page's worker.
  for (const [out, flag] of [['pkg.txz', '-J'], ['pkg.tar.zst', '--zstd'], ['pkg.tbz2', '-j']]) {
    expect(spawnSync('tar', ['-C', join(tmp, 'old'), flag, '-cf', inDir(out), 'pkg']).status).toBe(0);
  }
  expect(spawnSync('zip', ['-qr', inDir('pkg-1.0-py3-none-any.whl'), 'pkg'], { cwd: join(tmp, 'old') }).status).toBe(0);
  mkdirSync(join(tmp, 'old/pkg/DEBIAN'));
  writeFileSync(join(tmp, 'old/pkg/DEBIAN/control'), 'Package: pkg\nVersion: 1.0\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n');
  expect(spawnSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', join(tmp, 'old/pkg'), inDir('pkg.deb')]).status).toBe(0);
  // A hostile tarball: names reaching out of the unpack directory, a link out of the archive, a duplicate.
  const py = `import io, tarfile
t = tarfile.open(${JSON.stringify(join(tmp, 'hostile.tgz'))}, 'w:gz')
app = open(${JSON.stringify(sample('elf/musl-static'))}, 'rb').read()
for name in ['../../evil', '/etc/evil', 'pkg/bin/tool', 'pkg/bin/tool']:
    i = tarfile.TarInfo(name); i.size = len(app); t.addfile(i, io.BytesIO(app))
l = tarfile.TarInfo('pkg/lib/libc.so'); l.type = tarfile.SYMTYPE; l.linkname = '../../../../lib/libc.so.6'; t.addfile(l)
t.close()`;
  expect(spawnSync('python3', ['-c', py], { encoding: 'utf8' }).status).toBe(0);
  // Hostile inputs: a truncated ELF, a cut tarball, and a name that is markup with a bidi override and an escape.
  copyFileSync(sample('misc/truncated-elf'), join(tmp, 'truncated-elf'));
  writeFileSync(join(tmp, 'cut.tgz'), readFileSync(inDir('pkg.tgz')).subarray(0, 300));
  writeFileSync(join(tmp, 'evil\u202e<img src=x onerror=alert(1)>\u001b[31m.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0xff)]));

  server = spawn(process.execPath, [join(ROOT, 'scripts/web-serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  origin = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d) => { const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(String(d)); if (m) resolve(m[1]); });
    server.on('exit', (c) => reject(new Error(`web-serve exited with ${c}`)));
  });
  ctx = await chromium.launchPersistentContext(join(tmp, 'profile'), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  ctx.on('request', (r) => requests.push(r));
  page = ctx.pages()[0] ?? await ctx.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
  await page.waitForSelector('#app[data-state=idle]');
  requestsAtLoad = requests.length;
}, 120_000);

afterAll(async () => {
  await ctx?.close();
  server?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Pick files in an input and wait until the page has read them. */
async function pick(selector: string, paths: string[]): Promise<void> {
  const before = Number(await page.getAttribute('#app', 'data-reads'));
  await page.setInputFiles(selector, paths);
  await readAfter(before);
}

/** Wait until a read that started after `before` reads were done has finished. */
async function readAfter(before: number): Promise<void> {
  await page.waitForFunction((n) => {
    const app = document.getElementById('app')!;
    return Number(app.dataset.reads) > n && app.dataset.state === 'idle';
  }, before);
}

async function exported(kind: string): Promise<string> {
  await page.selectOption('#export-kind', kind);
  await page.click('#export-show');
  return page.inputValue('#export-text');
}

const cliIn = (args: string[]) => cli(args, { cwd: dir });

describe('the web inspector, in Chromium', () => {
  it('picked samples of every format and a release in every compression: rows and the exported JSON are what inspect --json prints', async () => {
    await pick('#files', names.map(inDir));
    const want = cliIn(['inspect', '--json', ...names]);
    expect(want.code).toBe(0);
    expect(await exported('inspect-json')).toBe(want.stdout);
    expect(await exported('inspect-libs-json')).toBe(cliIn(['inspect', '--json', '--libs', ...names]).stdout);

    const report = JSON.parse(want.stdout) as { binaries: Record<string, any>[] };
    expect(report.binaries.length).toBe(Object.keys(FILES).length + 2 * ARCHIVES.length);
    const rows = await page.$$eval('#rows tr', (trs) => trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('[data-field]')]
      .map((c) => [(c as unknown as PageElement).dataset.field, c.textContent]))));
    expect(rows.map((r) => r.path)).toEqual(report.binaries.map((b) => b.path));
    for (const [i, b] of report.binaries.entries()) {
      const r = rows[i];
      const sl = b.slices as Record<string, any>[] | undefined;
      expect(r.type.startsWith(`${b.format} `), b.path).toBe(true);
      expect(r.arch, b.path).toBe(sl ? sl.map((s) => s.macho.archName).join(' ') : b.arch);
      expect(r.linkage, b.path).toBe(b.linkage);
      expect(r.libc, b.path).toBe(b.format === 'pe' ? b.crt : b.libc);
      expect(r.pie, b.path).toBe(b.pie === null ? '—' : b.pie ? 'yes' : 'no');
      if (!sl) expect(r.needed, b.path).toBe(String(b.needed.length));
    }
    await page.screenshot({ path: join(SHOTS, 'inspector-1280.png'), fullPage: true });
  });

  it('a binary dropped on the page is read like a picked one', async () => {
    const before = Number(await page.getAttribute('#app', 'data-reads'));
    const bytes = readFileSync(inDir('musl-static')).toString('base64');
    const dt = await page.evaluateHandle((b64) => {
      const t = new DataTransfer();
      t.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'musl-static'));
      return t;
    }, bytes);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: dt });
    await readAfter(before);
    expect(await exported('inspect-json')).toBe(cliIn(['inspect', '--json', 'musl-static']).stdout);
  });

  it('the detail view: every fact, the evidence, universal slices side by side', async () => {
    await pick('#files', names.map(inDir));
    await page.getByRole('button', { name: 'details of mismatch' }).click();
    const slices = await page.$$eval('table.slices thead th', (ths) => ths.map((t) => t.textContent));
    expect(slices).toEqual(['fact', 'x86_64', 'arm64']);
    const want = (JSON.parse(cliIn(['inspect', '--json', 'mismatch']).stdout) as { binaries: unknown[] }).binaries[0];
    expect(JSON.parse(await page.textContent('#detail details pre') ?? '')).toEqual(want);
    expect(await page.locator('table.evidence tbody tr').count()).toBeGreaterThan(3);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('detail-title');
    await page.setViewportSize({ width: 760, height: 900 });
    await page.screenshot({ path: join(SHOTS, 'inspector-760.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('audit without a plan: the findings and reports audit writes', async () => {
    const json = cliIn(['audit', '--format', 'json', ...names]);
    expect(json.code).toBe(1);
    expect(await exported('audit-json')).toBe(json.stdout);
    expect(await exported('audit-markdown')).toBe(cliIn(['audit', '--format', 'markdown', ...names]).stdout);
    const verdict = cliIn(['audit', ...names]).stdout.trimEnd().split('\n').pop();
    expect(await page.textContent('#audit-verdict')).toBe(verdict);
    expect(await page.locator('#audit-out table.findings tbody tr').count()).toBe((JSON.parse(json.stdout) as { findings: unknown[] }).findings.length);
  });

  it('a plan from plan init, then typed in: the verdicts verify gives, live, and in the URL hash', async () => {
    await page.selectOption('#target', 'x86_64-unknown-linux-musl');
    await page.click('#plan-init');
    const init = cliIn(['plan', 'init', '--target', 'x86_64-unknown-linux-musl']).stdout;
    expect(await page.inputValue('#plan')).toBe(init);

    const plan = [
      'unmatched = "warn"',
      '[[artifact]]', 'name = "static tools"', 'path = "musl-*"', 'preset = "musl-static"',
      '[[artifact]]', 'name = "app"', 'path = "bin/app"', 'linkage = ["static"]',
      '[[artifact]]', 'name = "windows"', 'path = "*.{exe,dll}"', 'crt = ["mingw-msvcrt"]', 'needed.forbid = ["libstdc++*.dll"]', '',
    ].join('\n');
    await page.fill('#plan', '');
    await page.locator('#plan').pressSequentially(plan.slice(0, 40));
    await page.fill('#plan', plan);
    writeFileSync(inDir('linkplan.toml'), plan);
    try {
      const table = cliIn(['verify', '--plan', 'linkplan.toml', ...names]);
      expect(table.code).toBe(1);
      await page.waitForFunction((v) => document.getElementById('plan-verdict')?.textContent === v, table.stdout.trimEnd().split('\n').pop());
      expect(await exported('verify-json')).toBe(cliIn(['verify', '--plan', 'linkplan.toml', '--format', 'json', ...names]).stdout);
      expect(await exported('verify-markdown')).toBe(cliIn(['verify', '--plan', 'linkplan.toml', '--format', 'markdown', ...names]).stdout);
      const statuses = await page.$$eval('#plan-verdicts tbody tr', (trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[2].textContent]));
      type Report = { binaries: { file: string; status: string }[] };
      const want = JSON.parse(cliIn(['verify', '--plan', 'linkplan.toml', '--format', 'json', ...names]).stdout) as Report;
      expect(statuses).toEqual(want.binaries.map((b) => [b.file, b.status]));
    } finally {
      rmSync(inDir('linkplan.toml'));
    }
    // The hash carries the plan, and a page opened at that address starts from it.
    const url = page.url();
    expect(url).toMatch(/#plan=[A-Za-z0-9_-]+$/);
    const other = await ctx.newPage();
    await other.goto(url);
    await other.waitForSelector('#app[data-state=idle]');
    expect(await other.inputValue('#plan')).toBe(plan);
    await other.close();

    // A plan too long for a link: said so, and no link without it is copied.
    await page.fill('#plan', `${'# a long comment line to make the plan long\n'.repeat(800)}${plan}`);
    await page.click('#link-copy');
    expect(await page.textContent('#copy-status')).toBe('the plan is too long for a link (over 32 KiB in the address): copy the plan instead');
    expect(page.url()).not.toContain('#plan=');
    // A bad plan: its errors, one line each, as plan check prints them.
    await page.fill('#plan', '[[artifact]]\npath = 3\n');
    await page.waitForSelector('#plan-errors li');
    writeFileSync(inDir('linkplan.toml'), '[[artifact]]\npath = 3\n');
    try {
      const check = cliIn(['plan', 'check', 'linkplan.toml']);
      expect(check.code).toBe(2);
      expect(await page.$$eval('#plan-errors li', (ls) => ls.map((l) => `linkplan: ${l.textContent}`).join('\n') + '\n')).toBe(check.stderr);
    } finally {
      rmSync(inDir('linkplan.toml'));
    }
    // extends: the page has one text, not the files it names; said in a user's words, not the API's.
    await page.fill('#plan', 'extends = ["base.toml"]\n[[artifact]]\npath = "**"\n');
    await page.waitForFunction(() => /extends/.test(document.getElementById('plan-errors')?.textContent ?? ''));
    expect(await page.$$eval('#plan-errors li', (ls) => ls.map((l) => l.textContent))).toEqual([
      'linkplan.toml: extends: this page cannot follow extends: a plan pasted here is one file, and the plans it extends are not here '
      + '(paste the effective plan instead: linkplan plan show prints it)',
    ]);
    await page.fill('#plan', '');
  });

  it('audit resolves each binary as the CLI does: a library shipped where its loader does not look fails', async () => {
    // The app's RPATH is $ORIGIN/../lib; its library ships in pkg/other/.
    const root = join(tmp, 'a1');
    mkdirSync(join(root, 'pkg/bin'), { recursive: true });
    mkdirSync(join(root, 'pkg/other'));
    copyFileSync(sample('elf-tree/bin/use-rpath'), join(root, 'pkg/bin/app'));
    copyFileSync(sample('elf/libfoo.so.1'), join(root, 'pkg/other/libfoo.so.1'));
    expect(spawnSync('tar', ['-C', root, '-czf', inDir('a1.tgz'), 'pkg']).status).toBe(0);
    await pick('#files', [inDir('a1.tgz'), inDir('glibc-pie'), inDir('libfoo.so.1')]);
    const args = ['a1.tgz', 'glibc-pie', 'libfoo.so.1'];
    const json = cliIn(['audit', '--format', 'json', ...args]);
    expect(json.code).toBe(1);
    expect(json.stdout).toContain('unshipped-dependency');
    expect(await exported('audit-json')).toBe(json.stdout);
    expect(await page.textContent('#audit-verdict')).toBe(cliIn(['audit', ...args]).stdout.trimEnd().split('\n').pop());
  });

  it('a plan with deps.* rules: the samples tarball and their plan give what verify gives', async () => {
    const tgz = join(tmp, 'samples.tgz');
    expect(spawnSync('tar', ['-C', join(ROOT, 'samples'), '-czf', tgz, '.']).status).toBe(0);
    const plan = readFileSync(sample('linkplan.toml'), 'utf8');
    writeFileSync(join(tmp, 'linkplan.toml'), plan);
    const verify = (more: string[]) => cli(['verify', '--plan', 'linkplan.toml', ...more, 'samples.tgz'], { cwd: tmp });
    await pick('#files', [tgz]);
    await page.fill('#plan', plan);
    const table = verify([]);
    await page.waitForFunction((v) => document.getElementById('plan-verdict')?.textContent === v, table.stdout.trimEnd().split('\n').pop());
    const json = verify(['--format', 'json']).stdout;
    // The windows-portable artifacts' deps.resolve ran (they were "could not be analysed" in the page).
    expect(json).toContain('"rule": "deps-resolve"');
    expect(await exported('verify-json')).toBe(json);
    await page.fill('#plan', '');
  });

  it('two builds side by side: the diff diff prints', async () => {
    await pick('#old-files', [inDir('pkg.tgz')]);
    await pick('#new-files', [inDir('pkg-new.tgz')]);
    const want = cliIn(['diff', '--format', 'json', 'pkg.tgz', 'pkg-new.tgz']);
    expect(want.code).toBe(1);
    expect(await exported('diff-json')).toBe(want.stdout);
    expect(await exported('diff-markdown')).toBe(cliIn(['diff', '--format', 'markdown', 'pkg.tgz', 'pkg-new.tgz']).stdout);
    expect((JSON.parse(want.stdout) as { changes: unknown[] }).changes.length).toBeGreaterThan(0);
    const verdict = (more: string[]) => cliIn(['diff', ...more, 'pkg.tgz', 'pkg-new.tgz']).stdout.trimEnd().split('\n').pop();
    expect(await page.textContent('#diff-verdict')).toBe(verdict([]));
    expect(verdict([])).toMatch(/^linkage changed: pkg\.tgz → pkg-new\.tgz: /);
    // A plan that allows the change: the verdict follows it as it is typed in, as diff --plan gives it.
    const plan = '[diff]\nallow = ["pie-lost"]\n[[artifact]]\npath = "**"\n';
    writeFileSync(inDir('allow.toml'), plan);
    try {
      const allowed = verdict(['--plan', 'allow.toml']);
      expect(allowed).toMatch(/^no change that fails the gate: /);
      await page.fill('#plan', plan);
      await page.waitForFunction((v) => document.getElementById('diff-verdict')?.textContent === v, allowed);
      expect(await exported('diff-json')).toBe(cliIn(['diff', '--plan', 'allow.toml', '--format', 'json', 'pkg.tgz', 'pkg-new.tgz']).stdout);
    } finally {
      rmSync(inDir('allow.toml'));
    }
    await page.fill('#plan', '');
  });

  it('hostile and truncated files: one line each, as the CLI says it, and the page goes on', async () => {
    const bad = ['truncated-elf', 'cut.tgz', readdirSync(tmp).find((n) => n.startsWith('evil'))!];
    await pick('#files', bad.map((n) => join(tmp, n)));
    const want = cli(['inspect', ...bad], { cwd: tmp });
    expect(want.code).toBe(2);
    const lines = await page.$$eval('#errors li', (ls) => ls.map((l) => `linkplan: ${l.textContent}`));
    expect(lines.sort()).toEqual(want.stderr.trimEnd().split('\n').sort());
    expect(lines.length).toBe(3);
    // The markup in the name stayed text; no script ran.
    expect(await page.locator('img').count()).toBe(0);
    expect(lines.join('\n')).toContain('\\u{202e}<img src=x onerror=alert(1)>\\x1b[31m.exe');
    await pick('#files', [inDir('glibc-pie')]);
    expect(await page.locator('#rows tr').count()).toBe(1);
    expect(await page.locator('#errors li').count()).toBe(0);
  });

  it('a big release: a progress bar while it streams, Stop ends the read, the page goes on', async () => {
    const big = join(tmp, 'big.tgz');
    await bigTarball(big, readFileSync(sample('elf/glibc-pie')), 12_000);
    const before = Number(await page.getAttribute('#app', 'data-reads'));
    await page.setInputFiles('#files', [big]);
    await page.waitForSelector('#progress-box:not([hidden])');
    await page.waitForFunction(() => (document.getElementById('progress') as unknown as { value: number }).value > 0);
    await page.waitForSelector('#rows tr');
    // The page answers while the worker reads: the plan pane takes typing.
    await page.fill('#plan', 'unmatched = "warn"\n');
    await page.click('#stop');
    await page.waitForFunction((n) => Number(document.getElementById('app')!.dataset.reads) > n, before);
    expect(await page.getAttribute('#app', 'data-state')).toBe('idle');
    expect(await page.isHidden('#progress-box')).toBe(true);
    const rows = await page.locator('#rows tr').count();
    expect(rows).toBeGreaterThan(0);
    // What was read before the stop is shown (at most a page of rows), not the whole release.
    expect(rows).toBeLessThanOrEqual(1000);
    const read = Number(/^([\d,]+) binaries/.exec(await page.textContent('#count') ?? '')?.[1].replace(/,/g, ''));
    expect(read).toBeGreaterThanOrEqual(rows);
    expect(read).toBeLessThan(12_000);
    expect(await page.textContent('#errors')).toContain('stopped');
    await page.fill('#plan', '');
    await pick('#files', [inDir('musl-static')]);
    expect(await page.locator('#rows tr').count()).toBe(1);
  });

  it('a file that cannot be read when its turn comes: its one line, and an inspect report every field of which is there', async () => {
    const first = join(tmp, 'first.tgz'), gone = join(tmp, 'gone');
    await bigTarball(first, readFileSync(sample('elf/glibc-pie')), 3000);
    copyFileSync(sample('elf/musl-static'), gone);
    const before = Number(await page.getAttribute('#app', 'data-reads'));
    await page.setInputFiles('#files', [first, gone]);
    // Removed while the first file is read: the browser cannot read it then.
    rmSync(gone);
    await readAfter(before);
    const lines = await page.$$eval('#errors li', (ls) => ls.map((l) => l.textContent));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gone: cannot read: /);
    // The whole export (the preview holds 512 KiB of it), downloaded.
    await page.selectOption('#export-kind', 'inspect-json');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-download')]);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { binaries: { path: string }[] };
    expect(report.binaries).toHaveLength(3001);
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    const valid = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'inspect-report.schema.json'), 'utf8')));
    expect(valid(report), JSON.stringify(valid.errors?.slice(0, 3))).toBe(true);
    expect(report.binaries.at(-1)).toEqual({
      path: 'gone', format: null, arch: null, type: null, linkage: null, pie: null, libc: null, interpreter: null, needed: [], rpath: [],
      runpath: [], soname: null, evidence: {}, warnings: [], error: { code: 'io', message: lines[0]!.slice('gone: '.length) },
    });
  });

  it('a release of 1,500 binaries: the first 1,000 rows, Show more for the rest, every one audited', async () => {
    const many = join(tmp, 'many.tgz');
    await bigTarball(many, readFileSync(sample('elf/musl-static')), 1500);
    await pick('#files', [many]);
    expect(await page.textContent('#count')).toBe('1,500 binaries, 1,000 shown');
    expect(await page.locator('#rows tr').count()).toBe(1000);
    await page.click('#more');
    expect(await page.locator('#rows tr').count()).toBe(1500);
    expect(await page.isHidden('#more')).toBe(true);
    expect(await page.textContent('#audit-verdict')).toMatch(/^audit passed: 1500 binaries checked against/);
  });

  it('a hostile archive: members reported as the CLI reports them, never obeyed', async () => {
    await pick('#files', [join(tmp, 'hostile.tgz')]);
    const table = cli(['inspect', 'hostile.tgz'], { cwd: tmp });
    const reported = table.stdout.split('\n').filter((l) => /^(archive|symlink|hardlink): /.test(l));
    expect(reported.length).toBe(5);
    expect(await page.$$eval('#notes li', (ls) => ls.map((l) => l.textContent))).toEqual(reported);
    expect(await exported('inspect-json')).toBe(cli(['inspect', '--json', 'hostile.tgz'], { cwd: tmp }).stdout);
  });

  it('every control has a label and is reached by the keyboard', async () => {
    const unlabelled = await page.$$eval('input, select, textarea, button', (es) => es.filter((e) => {
      const c = e as unknown as { labels?: unknown[] | null; textContent: string | null; getAttribute(n: string): string | null };
      return !(c.labels?.length || c.getAttribute('aria-label') || (e.tagName === 'BUTTON' && c.textContent?.trim()));
    }).map((e) => e.id || e.outerHTML));
    expect(unlabelled).toEqual([]);
    await page.focus('#files');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('files');
  });

  it('makes no request but for its own files, and none after it loaded; its CSP forbids any', async () => {
    expect(requestsAtLoad).toBeGreaterThan(0);
    const urls = requests.map((r) => r.url());
    expect(urls.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    // The second page opened at the plan's address loaded the same files again; nothing else was asked for.
    expect(new Set(urls.slice(requestsAtLoad))).toEqual(new Set(urls.slice(0, requestsAtLoad)));
    expect(urls.length).toBe(2 * requestsAtLoad);
    expect(problems).toEqual([]);
    // connect-src 'none': even the page's own origin cannot be fetched from script.
    expect(await page.evaluate(async (u) => fetch(u).then(() => 'fetched', () => 'refused'), `${origin}/index.html`)).toBe('refused');
  });
});
