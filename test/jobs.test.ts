import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { ROOT, cli, sample } from './helpers.js';
import { THREAD_AFTER } from '../src/node/decompress-thread.js';
import { ARCHIVES_AFTER, archivesPay, ESTIMATE_AFTER, ESTIMATE_FROM, inspectFiles, POOL_AFTER_MS, poolPays, Workers } from '../src/node/parallel.js';

// --jobs N reads files in worker threads; what comes out must not depend on it: same stdout, stderr and exit code,
// in input order. Each comparison runs the built CLI twice over the samples (a few hundred ms each).
const same = (args: string[]) => {
  const one = cli([...args, '--jobs', '1']);
  const four = cli([...args, '--jobs', '4']);
  expect(four.stdout).toBe(one.stdout);
  expect(four.stderr).toBe(one.stderr);
  expect(four.code).toBe(one.code);
  return one;
};

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'linkplan-jobs-'));
  // An archive among files: its members are read on the main thread, the files around it by workers.
  const r = spawnSync('tar', ['-czf', join(tmp, 'elf.tar.gz'), '-C', sample('.'), 'elf', 'misc'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error('tar failed');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('--jobs', () => {
  it('inspect --json: the same report with 4 threads as with 1, over every sample and an archive', () => {
    const r = same(['inspect', '--json', 'samples', join(tmp, 'elf.tar.gz')]);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.length).toBeGreaterThan(100);
    expect(j.binaries.some((b: { path: string }) => b.path.includes('elf.tar.gz!elf/'))).toBe(true);
    // The broken samples are one-line errors, exit 2, whichever thread read them.
    expect(r.stderr).toContain('samples/misc/truncated-elf: program header table');
    expect(r.code).toBe(2);
  });

  it('inspect table and --libs: the same', () => {
    same(['inspect', '--libs', 'samples/elf', 'samples/pe', 'samples/macho']);
  });

  it('verify (json, table) and audit (json, over a tree and an archive): the same', () => {
    for (const f of ['json', 'table']) expect(same(['verify', '--plan', 'samples/linkplan.toml', '--format', f, 'samples']).code).toBe(0);
    expect(same(['audit', '--format', 'json', 'samples', join(tmp, 'elf.tar.gz')]).code).toBe(2);
  });

  it('verify with deps.* rules (every input resolved once it is read): the same', () => {
    const plan = join(tmp, 'deps.toml');
    writeFileSync(plan, '[[artifact]]\nname = "all"\npath = "**"\ndeps.resolve = "inside-root"\ndeps.allow-provenance = ["system", "bundled"]\n');
    const r = same(['verify', '--plan', plan, '--format', 'json', '--root', '/', 'samples/elf-tree', 'samples/pe', 'samples/macho']);
    const j = JSON.parse(r.stdout);
    expect(j.binaries.length).toBeGreaterThan(20);
    expect(j.findings.some((f: { rule: string }) => f.rule === 'deps-resolve')).toBe(true);
    expect(r.code).toBe(1);
  });

  it('verify with deps.* rules and audit over many paths read them in the pool, ahead across inputs: the same', () => {
    // One inspectFiles call per input kept one file in flight: the workers never had one to read (one profile).
    const plan = join(tmp, 'deps-many.toml');
    writeFileSync(plan, '[[artifact]]\nname = "all"\npath = "**"\ndeps.resolve = "inside-root"\ndeps.allow-provenance = ["system", "bundled"]\n');
    const files = readdirSync(sample('elf')).map((n) => sample(`elf/${n}`)).filter((p) => statSync(p).isFile());
    expect(files.length).toBeGreaterThan(15);
    const paths = [...files, sample('elf-tree'), join(tmp, 'elf.tar.gz'), ...files.slice(0, 5)];
    for (const args of [['verify', '--plan', plan, '--format', 'json'], ['audit', '--format', 'json']]) {
      const r = same([...args, ...paths]);
      expect(JSON.parse(r.stdout).binaries.length, args[0]).toBeGreaterThan(files.length);
      // Files named one by one (a directory among them would start a worker for its own files anyway).
      const prof = mkdtempSync(join(tmp, 'prof-'));
      spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', prof, join(ROOT, 'dist/cli/bin.cjs'), ...args, '--jobs', '2', ...files]);
      expect(readdirSync(prof).filter((n) => n.endsWith('.cpuprofile')).length, args[0]).toBeGreaterThan(1);
    }
  });

  it('a file in a directory named, and named again on its own, is that second input\'s alone (one error line)', () => {
    // "Named" is per input: met in the directory's walk, a file with MZ magic that is no PE is passed over there.
    const d = join(tmp, 'named-twice');
    mkdirSync(d);
    copyFileSync(sample('elf/glibc-pie'), join(d, 'glibc-pie'));
    writeFileSync(join(d, 'fake.txt'), 'MZ not a binary\n');
    const plan = join(tmp, 'deps-named.toml');
    writeFileSync(plan, '[[artifact]]\nname = "all"\npath = "**"\ndeps.resolve = "inside-root"\n');
    for (const args of [['inspect', '--json'], ['audit', '--format', 'json'], ['verify', '--plan', plan, '--format', 'json']]) {
      const r = same([...args, d, join(d, 'fake.txt')]);
      expect(r.stderr.split('\n').filter((l) => l.includes('fake.txt')), args[0]).toHaveLength(1);
      expect(r.code, args[0]).toBe(2);
    }
  });

  it('a file that cannot be read is that file\'s one-line error, the same with workers', () => {
    const d = join(tmp, 'bad');
    mkdirSync(d);
    copyFileSync(sample('misc/truncated-elf'), join(d, 'truncated'));
    copyFileSync(sample('elf/musl-static'), join(d, 'ok'));
    // Truncated to its ELF header: a directory member that looks like a binary, but whose program headers are gone.
    writeFileSync(join(d, 'cut'), (Buffer.from(spawnSync('head', ['-c', '64', sample('elf/glibc-pie')]).stdout)));
    // A name that is not UTF-8 goes to a worker as its bytes, and is opened by them.
    writeFileSync(Buffer.concat([Buffer.from(`${d}/`), Buffer.from([0x6e, 0xff])]), readFileSync(sample('elf/musl-dynamic')));
    const r = same(['inspect', '--json', d, join(tmp, 'missing')]);
    expect(JSON.parse(r.stdout).binaries.find((b: { path: string }) => b.path.endsWith('n\\xff'))).toMatchObject({ error: null, libc: 'musl' });
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    const named = [join(d, 'cut'), join(d, 'truncated'), join(tmp, 'missing')].map((p) => `linkplan: ${p}`);
    expect(lines.map((l) => l.slice(0, l.indexOf(': ', 10)))).toEqual(named);
    expect(lines[0]).toContain('runs past the end of the file (64 bytes)');
    expect(lines[2]).toBe(`linkplan: ${join(tmp, 'missing')}: no such file or directory`);
  });

  it('archives whose streams are decoded on a thread (xz, zstd, bzip2; whole, cut, a .deb, a bomb): the same', () => {
    const made: string[] = [];
    const sh = (cmd: string) => {
      const r = spawnSync('sh', ['-c', cmd], { cwd: tmp, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${cmd} failed`);
    };
    // The ELF and broken samples zstd'd; the PE and Mach-O ones as xz and bzip2 (slower to decode: fewer bytes).
    for (const [ext, flag, what] of [['tar.zst', '--zstd', 'elf misc'], ['tar.xz', '-J', 'pe macho'], ['tar.bz2', '-j', 'pe macho']]) {
      const f = join(tmp, `s.${ext}`);
      sh(`tar ${flag} -cf ${f} -C ${sample('.')} ${what}`);
      // Cut at three fifths: a member's body ends early, or the stream does.
      const cut = join(tmp, `cut.${ext}`);
      writeFileSync(cut, readFileSync(f).subarray(0, Math.floor(statSync(f).size * 0.6)));
      made.push(f, cut);
    }
    // A .deb's data.tar.xz inside an ar archive; and a bomb, 64 MiB of zeros then 2 MiB of noise, zstd'd: the zeros'
    // 2 KB come with the first 64 KiB read, which inflate past 200× long before the noise. The ratio is the input the
    // decoder took, which a thread reading ahead must report as it was (counted as sent, it is no bomb at all).
    const deb = join(tmp, 'debroot');
    mkdirSync(join(deb, 'DEBIAN'), { recursive: true });
    mkdirSync(join(deb, 'usr/bin'), { recursive: true });
    copyFileSync(sample('elf/glibc-pie'), join(deb, 'usr/bin/app'));
    writeFileSync(join(deb, 'DEBIAN/control'), 'Package: p\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n');
    sh(`dpkg-deb --root-owner-group -Zxz --build ${deb} ${join(tmp, 'p.deb')} >/dev/null`);
    sh('head -c 67108864 /dev/zero > zeros && head -c 2097152 /dev/urandom > noise');
    sh(`tar --zstd -cf ${join(tmp, 'bomb.tar.zst')} zeros noise && rm zeros noise`);
    made.push(join(tmp, 'p.deb'), join(tmp, 'bomb.tar.zst'));
    const r = same(['inspect', '--json', ...made]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    for (const ext of ['tar.zst', 'tar.xz', 'tar.bz2']) {
      expect(j.binaries.filter((b: { path: string }) => b.path.startsWith(join(tmp, `s.${ext}!`))).length).toBeGreaterThan(ext === 'tar.zst' ? 30 : 5);
    }
    expect(j.binaries.some((b: { path: string }) => b.path.endsWith('p.deb!data.tar.xz!./usr/bin/app'))).toBe(true);
    expect(r.stderr).toMatch(/bomb\.tar\.zst: zstd: inflates more than 200× \(\d+ bytes from 65536\)/);
    for (const ext of ['tar.zst', 'tar.xz', 'tar.bz2']) expect(r.stderr).toContain(`linkplan: ${join(tmp, `cut.${ext}`)}`);
    // The thread is really there: with --jobs 2, a profile per thread (the main one and the decoder's); with 1, one.
    for (const [jobs, threads] of [['1', 1], ['2', 2]] as const) {
      const prof = mkdtempSync(join(tmp, 'prof-'));
      const p = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', prof, join(ROOT, 'dist/cli/bin.cjs'), 'inspect', '--jobs', jobs, made[0]]);
      // Exit 2: the misc samples inside are broken on purpose.
      expect(p.status).toBe(2);
      expect(readdirSync(prof).filter((n) => n.endsWith('.cpuprofile')), `--jobs ${jobs}`).toHaveLength(threads);
    }
  });

  it('diff and resolve decode on a thread too (an .xz past the default threshold): the same as over the plain tars', () => {
    // Two builds: the ELF samples, and the same with one binary another; 9 MiB of noise in each (fast to decode)
    // takes their xz past THREAD_AFTER.xz.
    const a = join(tmp, 'build-a'), b = join(tmp, 'build-b');
    for (const d of [a, b]) {
      mkdirSync(d);
      spawnSync('cp', ['-r', sample('elf'), d]);
      writeFileSync(join(d, 'elf/noise'), randomBytes(9 << 20));
    }
    copyFileSync(sample('elf/glibc-pie'), join(b, 'elf/musl-static'));
    for (const [name, from] of [['old', a], ['new', b]]) {
      spawnSync('tar', ['-cf', join(tmp, `${name}.tar`), '-C', from, 'elf']);
      spawnSync('sh', ['-c', `xz -1 -c ${join(tmp, `${name}.tar`)} > ${join(tmp, `${name}.tar.xz`)}`]);
    }
    expect(statSync(join(tmp, 'old.tar.xz')).size).toBeGreaterThan(THREAD_AFTER.xz);
    const plain = (t: string) => t.replaceAll('.tar.xz', '.tar');
    for (const args of [['diff', '--format', 'json'], ['resolve', '--format', 'json']]) {
      const inputs = args[0] === 'diff' ? ['old', 'new'] : ['new'];
      const xz = cli([...args, ...inputs.map((n) => join(tmp, `${n}.tar.xz`))]);
      const tar = cli([...args, ...inputs.map((n) => join(tmp, `${n}.tar`))]);
      expect(plain(xz.stdout), args[0]).toBe(tar.stdout);
      expect(plain(xz.stderr)).toBe(tar.stderr);
      expect(xz.code).toBe(tar.code);
      if (args[0] === 'resolve') expect(JSON.parse(tar.stdout).results.length).toBeGreaterThan(10);
    }
    expect(JSON.parse(cli(['diff', '--format', 'json', join(tmp, 'old.tar'), join(tmp, 'new.tar')]).stdout).changes.length).toBeGreaterThan(0);
    // A profile per thread: the decoder's is there.
    const prof = mkdtempSync(join(tmp, 'prof-'));
    const argv = ['--cpu-prof', '--cpu-prof-dir', prof, join(ROOT, 'dist/cli/bin.cjs'), 'diff', join(tmp, 'old.tar.xz'), join(tmp, 'new.tar.xz')];
    spawnSync(process.execPath, argv);
    expect(readdirSync(prof).filter((n) => n.endsWith('.cpuprofile'))).toHaveLength(2);
  });

  it('an xz inside an xz (a member after it: the outer stream open while the inner decodes) is read, at any --jobs', () => {
    // xz-decompress's own stream held one lock for a stream's life: the inner stream waited for ever, the event loop
    // emptied and the run ended with exit 0 and nothing printed. Four deep, and with a .deb (data.tar.xz) inside.
    const d = join(tmp, 'xinx');
    mkdirSync(d);
    copyFileSync(sample('elf/musl-static'), join(d, 'musl-static'));
    copyFileSync(join(tmp, 'p.deb'), join(d, 'p.deb'));
    let inner = 'musl-static';
    for (let level = 1; level <= 4; level++) {
      spawnSync('tar', ['-cJf', join(d, `l${level}.tar.xz`), '-C', d, inner, 'p.deb']);
      inner = `l${level}.tar.xz`;
    }
    const f = join(d, 'l4.tar.xz');
    const r = same(['inspect', '--json', f]);
    const paths = JSON.parse(r.stdout).binaries.map((b: { path: string; error: unknown }) => [b.path, b.error]);
    expect(paths).toContainEqual([`${f}!l3.tar.xz!l2.tar.xz!l1.tar.xz!musl-static`, null]);
    expect(paths).toContainEqual([`${f}!l3.tar.xz!p.deb!data.tar.xz!./usr/bin/app`, null]);
    expect(r.code).toBe(0);
    // The default (no thread for streams this small) and --jobs 2 read the same.
    expect(cli(['inspect', '--json', f]).stdout).toBe(r.stdout);
    expect(cli(['inspect', '--json', '--jobs', '2', f]).stdout).toBe(r.stdout);
  });

  it('verify and audit over .tar.xz and .tar.zst with their streams on a thread: the same', () => {
    for (const ext of ['tar.xz', 'tar.zst']) {
      expect(JSON.parse(same(['verify', '--plan', 'samples/linkplan.toml', '--format', 'json', join(tmp, `s.${ext}`)]).stdout).binaries.length)
        .toBeGreaterThan(5);
      same(['audit', '--format', 'json', join(tmp, `s.${ext}`), join(tmp, `cut.${ext}`)]);
    }
  });

  it('a bad --jobs is a usage error: exit 2, one line', () => {
    const cmds = [['inspect'], ['verify', '--plan', 'samples/linkplan.toml'], ['audit']];
    for (const [v, cmd] of [['0', 0], ['x', 1], ['-1', 2], ['1.5', 0], ['999', 1]] as const) {
      {
        const r = cli([...cmds[cmd], '--jobs', v, 'samples/elf/musl-static']);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`linkplan: --jobs '${v}' is not a number of threads from 1 to 256\n`);
      }
    }
  });
});

describe('a run that waits for something that never comes', () => {
  it('says so and exits 2, never a silent exit 0 with nothing done', () => {
    // xz's WASM instance made never to load: the stream waits, Node's event loop empties (tsc's build of the CLI,
    // whose xz-decompress is the one a preload can reach; the bundle runs the same run()).
    const pre = join(tmp, 'never.cjs');
    const xzPath = join(ROOT, 'node_modules/xz-decompress/dist/package/xz-decompress.js');
    writeFileSync(pre, `require(${JSON.stringify(xzPath)}).XzReadableStream._getModuleInstance = () => new Promise(() => {});\n`);
    const r = spawnSync(process.execPath, ['--require', pre, join(ROOT, 'dist/cli/main.js'), 'inspect', join(tmp, 's.tar.xz')], { encoding: 'utf8' });
    expect(r.stderr).toBe('linkplan: internal error: the run stopped before it finished (it waited on something that never came); please report it\n');
    expect(r.status).toBe(2);
  });
});

describe('a worker thread that dies', () => {
  it('is reported as the error of the file it was reading, and the run goes on', async () => {
    // A worker script that stops its thread on one file (a stand-in for a crash in a reader).
    const script = join(tmp, 'crashing-worker.mjs');
    writeFileSync(script, [
      "import { parentPort } from 'node:worker_threads';",
      `import { runJob } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/node/pool-job.js')).href)};`,
      "parentPort.on('message', (jobs) => { if (jobs.some((j) => j.path.endsWith('.CRASH'))) process.exit(7); parentPort.postMessage(jobs.map(runJob)); });",
    ].join('\n'));
    const { Pool } = await import(pathToFileURL(join(ROOT, 'dist/node/pool.js')).href);
    const pool = new Pool(3, pathToFileURL(script));
    try {
      // Two such files among 60: each worker that meets one stops with the rest of its batches unread.
      const crash = new Set([5, 17]);
      const paths = [...Array(60)].map((_, i) => (crash.has(i) ? join(tmp, `${i}.CRASH`) : sample(i % 2 ? 'elf/musl-static' : 'elf/glibc-pie')));
      const job = (path: string) => ({ path, fsPath: path, named: true, archives: true, libs: false, json: false });
      const replies = await Promise.all(paths.map((p) => pool.run(job(p))));
      replies.forEach((r: { kind: string; result: { path: string; error: { code: string; message: string } | null } }, i: number) => {
        expect(r.kind).toBe('result');
        expect(r.result.path).toBe(paths[i]);
        if (crash.has(i)) {
          expect(r.result.error?.code).toBe('internal');
          expect(r.result.error?.message).toContain('the worker thread reading it stopped: exit code 7');
        } else expect(r.result.error).toBeNull();
      });
      // The pool still works after it.
      const after = await pool.run(job(sample('elf/musl-static')));
      expect(after.result.error).toBeNull();
    } finally {
      await pool.close();
    }
  });
});

describe('when the default --jobs starts its workers', () => {
  it('after a second of reading, or sooner once the files read say the queued ones hold two seconds of work', () => {
    // Headers only (~0.15 ms a file): 512 queued are 77 ms of work, never worth a worker; a second of it is.
    expect(poolPays(600, 4000, 512)).toBe(false);
    expect(poolPays(POOL_AFTER_MS, 6000, 512)).toBe(true);
    // --libs (~5 ms a file): 40 files read and 512 queued (2.6 s of work) start them at 200 ms.
    expect(poolPays(200, 40, 512)).toBe(true);
    expect(poolPays(200, 40, 300)).toBe(false);
    // Too few files read to trust their average (the first are the JIT's coldest): wait.
    expect(poolPays(200, 8, 512)).toBe(false);
    expect(poolPays(0, 0, 0)).toBe(false);
    // The latest files' cost, not the first ones' (4-5 times the rest, the JIT cold): 2,288 files still to read.
    expect(poolPays(16, 32, 2288, 0.12)).toBe(false);
    expect(poolPays(48, 32, 2288, 1.5)).toBe(true);
  });

  it('sooner over archives: a few read say what the queued ones cost (their decoding, not the JIT\'s warming)', () => {
    // 90 .debs at ~45 ms: 4 read (180 ms) and 86 queued are 3.9 s of work.
    expect(archivesPay(180, 4, 4, 86)).toBe(true);
    expect(poolPays(180, 4, 86)).toBe(false);
    // Three are not enough to trust; nor archives that are few among the files read (the queue is mostly files).
    expect(archivesPay(135, 3, 3, 86)).toBe(false);
    expect(archivesPay(180, 4, 40, 86)).toBe(false);
    // Cheap archives: 4 at 2 ms with 86 queued are 0.2 s of work.
    expect(archivesPay(8, 4, 4, 86)).toBe(false);
    const w = new Workers('auto');
    try {
      // Until then a stream read on the main thread gets a decoding thread past THREAD_AFTER; in a run of many
      // archives, at once (one thread serves them all), as with an explicit --jobs.
      expect(w.threadAfter('xz')).toBe(THREAD_AFTER.xz);
      for (let i = 0; i < ARCHIVES_AFTER; i++) w.read(45, true);
      expect(w.want(86) !== null).toBe(w.size > 1);
      expect(w.threadAfter('xz')).toBe(w.size > 1 ? 0 : THREAD_AFTER.xz);
      expect(new Workers(2).threadAfter('zstd')).toBe(0);
    } finally {
      void w.close();
    }
    const files = new Workers('auto');
    try {
      for (let i = 0; i < ARCHIVES_AFTER; i++) files.read(45);
      expect(files.want(86)).toBeNull();
      expect(files.threadAfter('zstd')).toBe(THREAD_AFTER.zstd);
    } finally {
      void files.close();
    }
  });

  it('estimates from the files read since the 16th (the first are the coldest)', () => {
    const w = new Workers('auto');
    try {
      expect(w.size).toBeGreaterThan(0);
      // The first 16 files cold (5 ms each), the next 16 at 0.1 ms: 2,000 more files are 0.2 s of work, not 10 s.
      for (let i = 0; i < ESTIMATE_FROM; i++) w.read(5);
      for (let i = 0; i < ESTIMATE_AFTER - ESTIMATE_FROM; i++) w.read(0.1);
      expect(w.want(2000)).toBeNull();
      // At 1.5 ms a file they are 3 s of work: a pool (where there is more than one core).
      for (let i = 0; i < 64; i++) w.read(1.5);
      expect(w.want(2000) !== null).toBe(w.size > 1);
    } finally {
      void w.close();
    }
  });
});

describe('inspectFiles inputDone', () => {
  it('once for each path, in order, after all of its entries and before the next path\'s first', async () => {
    const empty = mkdtempSync(join(tmp, 'empty-'));
    const paths = [sample('elf/musl-static'), empty, sample('elf-tree'), join(tmp, 'no-such-file'), join(tmp, 'elf.tar.gz'), empty, sample('elf/glibc-pie')];
    const events: string[] = [];
    let input = 0, pending = false;
    const owner = (p: string) => paths.findIndex((q) => p === q || p.startsWith(`${q}/`) || p.startsWith(`${q}!`));
    const seen = (p: string) => void events.push(`${owner(p)}<-${input}${pending ? ' while a promise was pending' : ''}`);
    await inspectFiles(paths, {
      result: (r) => seen(r.path),
      skipped: (s) => seen(s),
      link: (l) => seen(l.path),
      inputDone: (i) => {
        events.push(`done ${i}`);
        expect(i).toBe(input++);
        if (i !== 2) return undefined;
        // A promise from the handler is awaited before the next input begins.
        pending = true;
        return new Promise<void>((resolve) => setTimeout(() => { pending = false; resolve(); }, 5));
      },
    }, {}, null);
    expect(pending).toBe(false);
    expect(events.filter((e) => e.startsWith('done'))).toEqual(paths.map((_, i) => `done ${i}`));
    // Every entry was handled while its own path was the current input.
    for (const e of events.filter((x) => !x.startsWith('done'))) {
      const [own, cur] = e.split('<-');
      expect(own).toBe(cur);
    }
    expect(events.filter((e) => e.endsWith('<-2')).length).toBeGreaterThan(3);
    expect(events.filter((e) => e.endsWith('<-4')).length).toBeGreaterThan(10);
  });
});

describe('the default --jobs over many files', () => {
  it('counts as still to read the files queued and the paths named but not yet walked', async () => {
    // 600 paths: the walk queues 512 (its window), 88 are not yet walked when the first file has been read.
    const files = readdirSync(sample('elf')).map((n) => sample(`elf/${n}`)).filter((p) => statSync(p).isFile());
    const paths = Array.from({ length: 600 }, (_, i) => files[i % files.length]);
    const asked: number[] = [];
    class Watching extends Workers {
      override want(queued?: number) {
        if (queued !== undefined) asked.push(queued);
        return null;
      }
    }
    let results = 0;
    await inspectFiles(paths, { result: () => void results++ }, {}, new Watching(2));
    expect(results).toBe(600);
    expect(asked.slice(0, 3)).toEqual([599, 598, 597]);
    expect(asked).toHaveLength(600);
  });
});
