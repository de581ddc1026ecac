import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, cli, sample } from './helpers.js';
import { inspectEntries, type InspectHandlers } from '../src/inspect.js';
import { fileEntries } from '../src/node/entries.js';
import { inspectFiles, Workers } from '../src/node/parallel.js';
import type { MessagePort } from 'node:worker_threads';
import { openFile } from '../src/node/open-file.js';
import { FileSource } from '../src/node/file-source.js';
import {
  type ArchiveBatch, type ArchiveEvent, ArchiveReader, type ArchiveStream, BATCH, debDataKind, eventOf, OUTSTANDING, readsInWorker,
} from '../src/node/pool-archive.js';
import { HELD, Pool, type PoolReply } from '../src/node/pool.js';
import { THREAD_AFTER } from '../src/node/decompress-thread.js';

// Archives read whole by a pool worker (pool-archive.ts): the entries the main thread gets from a worker must be those
// it would have read itself, in order, bounded in number ahead of it, and a worker that stops must lose none.
// The workers run the built dist/node/pool-worker.js (npm test builds first).
const WORKER = pathToFileURL(join(ROOT, 'dist/node/pool-worker.js'));

let tmp: string;
const sh = (cmd: string) => {
  const r = spawnSync('sh', ['-c', cmd], { cwd: tmp, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} failed`);
};
/** A tar of `n` copies of a 2 KB sample (distinct files, so tar stores each), `ext`-compressed. */
function copies(name: string, n: number, flag = ''): string {
  const dir = join(tmp, `${name}.d`);
  mkdirSync(dir);
  for (let i = 0; i < n; i++) copyFileSync(sample('elf/libtinybe.so'), join(dir, `lib${i}.so`));
  writeFileSync(join(dir, 'README'), 'not a binary\n');
  const f = join(tmp, name);
  sh(`tar ${flag} -cf ${f} -C ${dir} .`);
  return f;
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'linkplan-pool-archive-'));
  sh(`tar -czf ${join(tmp, 'elf.tar.gz')} -C ${sample('.')} elf misc`);
  sh(`tar -cJf ${join(tmp, 'pe.tar.xz')} -C ${sample('.')} pe macho`);
  sh(`cd ${sample('.')} && zip -qr ${join(tmp, 'macho.zip')} macho elf/musl-static`);
  copies('many.tar', 600);
  copies('CRASH1.tar', 300);
  copies('CRASH2.tar', 300);
  copies('CRASH3.tar', 300);
  for (const k of ['K1', 'K2']) copyFileSync(sample('elf/musl-static'), join(tmp, `${k}.KILLONCE`));
  copyFileSync(copies('CRASH4.tar', 300), join(tmp, 'CRASH4.KILLONCE'));
  for (let i = 0; i < 45; i++) copies(`one${i}.tar`, 1);
  for (let i = 0; i < 40; i++) copies(`full${i}.tar`, 64);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const job = (path: string, extra: { json?: boolean; stream?: boolean } = {}) =>
  ({ path, fsPath: path, named: true, archives: true, libs: false, json: false, stream: true, ...extra });

/** What the main thread gets reading an archive itself, as the events a worker sends. */
async function here(path: string, json = false): Promise<ArchiveEvent[]> {
  const out: ArchiveEvent[] = [];
  const h: InspectHandlers = {
    result: (r, inner) => void out.push(eventOf({ json }, r, inner)),
    link: (link) => out.push({ t: 'link', link }),
    note: (note) => out.push({ t: 'note', note }),
    skipped: (p) => out.push({ t: 'skipped', path: p }),
  };
  await inspectEntries(fileEntries({ path, fsPath: path }, true, {}), h);
  return out;
}

async function drain(s: ArchiveStream): Promise<ArchiveEvent[]> {
  const out: ArchiveEvent[] = [];
  for (let b; (b = await s.next(() => false)); ) out.push(...b.events);
  return out;
}

const streamOf = (r: PoolReply): ArchiveStream => {
  if (r.kind !== 'stream') throw new Error(`expected a stream, got ${r.kind}`);
  return r.stream;
};

/** Until `f()` has not changed for 300 ms (at most 10 s): a worker that has gone as far as it may. */
async function settled(f: () => number): Promise<number> {
  let last = -1, since = Date.now();
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 25))) {
    const v = f();
    if (v !== last) { last = v; since = Date.now(); } else if (Date.now() - since >= 300) break;
  }
  return last;
}

describe('an archive read by a pool worker', () => {
  it('sends, in order, the entries the main thread would have read (facts or rendered JSON)', async () => {
    const pool = new Pool(2, WORKER);
    try {
      for (const f of ['elf.tar.gz', 'pe.tar.xz', 'macho.zip', 'many.tar']) {
        for (const json of [false, true]) {
          const got = await drain(streamOf(await pool.run(job(join(tmp, f), { json }))));
          expect(got.length, f).toBeGreaterThan(5);
          expect(got, `${f} json ${json}`).toEqual(await here(join(tmp, f), json));
        }
      }
    } finally {
      await pool.close();
    }
  });

  it('is handed back when the job does not allow it, or when its stream would get a decoding thread here', async () => {
    expect(readsInWorker('gzip', 1 << 30)).toBe(true);
    expect(readsInWorker('zip', 1 << 30)).toBe(true);
    expect(readsInWorker('xz', THREAD_AFTER.xz)).toBe(true);
    expect(readsInWorker('xz', THREAD_AFTER.xz + 1)).toBe(false);
    expect(readsInWorker('zstd', THREAD_AFTER.zstd + 1)).toBe(false);
    expect(readsInWorker('deb', THREAD_AFTER.xz + 1)).toBe(false);
    // A .deb by its data.tar's first bytes: 9 MiB of noise, gzip, xz, zstd and none (dpkg-deb -Z).
    const root = join(tmp, 'bigdeb');
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    writeFileSync(join(root, 'DEBIAN/control'), 'Package: b\nVersion: 1\nArchitecture: all\nMaintainer: t <t@t>\nDescription: t\n');
    sh(`head -c 9437184 /dev/urandom > ${join(root, 'noise')}`);
    const debs: Record<string, string> = {};
    for (const z of ['gzip', 'xz', 'zstd', 'none']) {
      debs[z] = join(tmp, `big-${z}.deb`);
      sh(`dpkg-deb --root-owner-group -Z${z} -z${z === 'xz' ? 0 : 1} --build ${root} ${debs[z]} >/dev/null`);
      expect(statSync(debs[z]).size, z).toBeGreaterThan(THREAD_AFTER.xz);
    }
    const kindOf = (f: string) => {
      const src = FileSource.open(f);
      try { return [debDataKind(src), readsInWorker('deb', src.size, src)]; } finally { src.close(); }
    };
    expect(Object.values(debs).map(kindOf)).toEqual([['gzip', true], ['xz', false], ['zstd', true], ['tar', true]]);
    // Cut inside its ar headers, or with no data.tar among them: xz's threshold.
    sh(`head -c 100 ${debs.gzip} > ${join(tmp, 'cut.deb')} && printf '!<arch>\\ndebian-binary   ' > ${join(tmp, 'odd.deb')}`);
    expect(kindOf(join(tmp, 'cut.deb'))[0]).toBe(null);
    expect(kindOf(join(tmp, 'odd.deb'))[0]).toBe(null);
    // 9 MiB of noise as .tar.xz: past xz's 8 MiB.
    sh('head -c 9437184 /dev/urandom > noise && tar -cf - noise | xz -0 -T1 > big.tar.xz && rm noise');
    const pool = new Pool(2, WORKER);
    try {
      expect((await pool.run(job(join(tmp, 'big.tar.xz')))).kind).toBe('archive');
      expect((await pool.run(job(debs.xz))).kind).toBe('archive');
      const gz = await pool.run(job(debs.gzip));
      expect(gz.kind).toBe('stream');
      expect(await drain(streamOf(gz))).toEqual(await here(debs.gzip, false));
      expect((await pool.run(job(join(tmp, 'elf.tar.gz'), { stream: false }))).kind).toBe('archive');
      expect((await pool.run(job(sample('elf/musl-static')))).kind).toBe('result');
    } finally {
      await pool.close();
    }
  });

  it('one at a time a worker: the others wait for one free of its archive (the second first), or are taken back', async () => {
    const pool = new Pool(2, WORKER);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      // c is long (600 results: the worker stays on it, OUTSTANDING batches ahead, until they are taken): a short one
      // could be read whole within the wait below, and the worker, free again, would rightly take b, the last.
      const [a, b, c] = ['many.tar', 'macho.zip', 'many.tar'].map((f) => pool.submit(job(join(tmp, f))));
      const first = streamOf(await a.reply);
      // b and c came back busy: both deferred, neither settled while the worker reads a (600 results: it stops
      // OUTSTANDING batches ahead, until they are taken).
      let bIn = false, cIn = false;
      void b.reply.then(() => { bIn = true; });
      void c.reply.then(() => { cIn = true; });
      await sleep(200);
      expect([bIn, cIn]).toEqual([false, false]);
      expect(pool.claim(a.id)).toBe(false);
      // Free of a, the worker takes c, the second: b is the main thread's next.
      await drain(first);
      const third = streamOf(await c.reply);
      await sleep(50);
      expect(bIn).toBe(false);
      // The main thread takes b itself; once.
      expect(pool.claim(b.id)).toBe(true);
      expect(pool.claim(b.id)).toBe(false);
      expect(await drain(third)).toEqual(await here(join(tmp, 'many.tar')));
      // One whose turn has come before a worker puts it off comes back to be read by the caller: left among the
      // deferred, the first of which is the caller's, it would wait for ever.
      const blocked = streamOf(await pool.run(job(join(tmp, 'many.tar'))));
      const e = pool.submit(job(join(tmp, 'macho.zip')));
      expect(pool.claim(e.id)).toBe(false);
      expect((await e.reply).kind).toBe('archive');
      await drain(blocked);
      // A job run again (its worker stopped) is never put off: read beside the archive the worker is reading.
      const d = streamOf(await pool.run(job(join(tmp, 'many.tar'))));
      const again = await pool.run({ ...job(join(tmp, 'elf.tar.gz')), skip: 0 });
      expect(again.kind).toBe('stream');
      expect(await drain(streamOf(again))).toEqual(await here(join(tmp, 'elf.tar.gz')));
      expect((await drain(d)).filter((e) => e.t === 'result')).toHaveLength(600);
    } finally {
      await pool.close();
    }
  });

  it(`stops ${OUTSTANDING} batches ahead of the main thread, and goes on as they are taken`, async () => {
    const pool = new Pool(2, WORKER);
    try {
      const s = streamOf(await pool.run(job(join(tmp, 'many.tar'))));
      // 600 results at most 64 to a batch: without the bound all would be in by now.
      const ahead = await settled(() => s.received);
      expect(ahead).toBeGreaterThan(0);
      // Batches are of 64 results; the archive's one other entry (README, skipped, weighing 1/16 of a result) rides in
      // whichever batch tar's order puts it (the directory's listing order: here among the first 512 entries, or not).
      expect(ahead).toBeLessThanOrEqual(OUTSTANDING * 64 + 1);
      expect(s.done).toBe(false);
      const got = await drain(s);
      expect(got.filter((e) => e.t === 'result')).toHaveLength(600);
      expect(s.done).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it(`over many archives, begins no more once ${HELD / BATCH} full batches wait to be taken; the main thread's turn frees them`, async () => {
    const pool = new Pool(2, WORKER);
    try {
      // 40 archives of 64 results, one full batch each (and the README's path).
      const jobs = Array.from({ length: 40 }, (_, i) => pool.submit(job(join(tmp, `full${i}.tar`))));
      let inNow = 0;
      for (const j of jobs) void j.reply.then(() => void inNow++);
      // A worker finishing them one after another stops at the pool's bound.
      const before = await settled(() => inNow);
      expect(before).toBeGreaterThan(2);
      expect(before).toBeLessThanOrEqual(HELD / BATCH + 2);
      // As the main thread would: each in turn, taken back if it is still put off, else its stream drained.
      let taken = 0, read = 0;
      for (const j of jobs) {
        if (pool.claim(j.id)) { taken++; continue; }
        const got = await drain(streamOf(await j.reply));
        expect(got.filter((e) => e.t === 'result')).toHaveLength(64);
        read++;
      }
      expect(taken + read).toBe(40);
      expect(read).toBeGreaterThan(before);
    } finally {
      await pool.close();
    }
  });
});

describe('archives put off', () => {
  it('start workers as queued jobs do: --jobs 4 over ten archives reads them on three', async () => {
    const pool = new Pool(4, WORKER);
    try {
      const jobs = Array.from({ length: 10 }, (_, i) => pool.submit(job(join(tmp, `full${i}.tar`))));
      let read = 0;
      for (const j of jobs) {
        if (pool.claim(j.id)) continue;
        expect((await drain(streamOf(await j.reply))).filter((e) => e.t === 'result')).toHaveLength(64);
        read++;
      }
      expect(read).toBeGreaterThan(2);
      expect((pool as unknown as { slots: unknown[] }).slots).toHaveLength(3);
    } finally {
      await pool.close();
    }
  });
});

describe('a linkplan bug met while a worker reads an archive', () => {
  it('ends the archive with that internal error, not the thread (sent even while a retry skips entries)', async () => {
    const path = join(tmp, 'elf.tar.gz');
    for (const skip of [undefined, 1000]) {
      const sent: ArchiveBatch[] = [];
      const reader = new ArchiveReader({ postMessage: (m: ArchiveBatch) => void sent.push(m) } as unknown as MessagePort);
      const o = openFile({ path, fsPath: path }, true, true);
      if (o.kind !== 'archive') throw new Error(`${path}: not an archive`);
      // A job whose libs flag throws when read: a stand-in for a reader bug on the first member.
      const j = { ...job(path), id: 7, skip, get libs(): boolean { throw new Error('boom'); } };
      const t = reader.take(j, { path, fsPath: path }, o);
      if (t.kind !== 'stream') throw new Error(`expected a stream, got ${t.kind}`);
      t.start();
      for (const end = Date.now() + 10_000; !sent.some((b) => b.end) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
      const events = sent.flatMap((b) => b.events);
      expect(sent[sent.length - 1].end).toBe(true);
      expect(events).toHaveLength(1);
      const [e] = events;
      if (e.t !== 'result') throw new Error(`expected a result, got ${e.t}`);
      expect(e.result.path).toBe(path);
      expect(e.result.error?.message).toBe('internal error while reading (boom); please report it');
    }
  });
});

describe('a worker that stops while reading an archive', () => {
  it('is replaced: the archive is read again on a fresh one, from the entry after the last received; twice, it ends with its error', async () => {
    // pool-worker.js, but a worker exits after sending the second batch of an archive named CRASH1 (first reading
    // only: a retry has entries to skip) or CRASH2 (every time); as CRASH1 CRASH3, and a worker given its retry exits
    // at once; the first worker given a file named *.KILLONCE exits (a marker file: it reads fine after); CRASH4 (a tar
    // named so) stops the first worker given it, then the second after its second batch.
    const script = join(tmp, 'stopping-worker.mjs');
    const dist = (m: string) => JSON.stringify(pathToFileURL(join(ROOT, 'dist/node', m)).href);
    writeFileSync(script, [
      "import { parentPort } from 'node:worker_threads';",
      "import { existsSync, writeFileSync } from 'node:fs';",
      `import { runJob } from ${dist('pool-job.js')};`,
      `import { ArchiveReader } from ${dist('pool-archive.js')};`,
      'const jobs = new Map(); const sent = new Map();',
      'const port = { postMessage(m) {',
      '  parentPort.postMessage(m);',
      '  const j = m && !Array.isArray(m) ? jobs.get(m.archive) : undefined;',
      '  if (!j) return;',
      '  sent.set(j.id, (sent.get(j.id) ?? 0) + 1);',
      "  if (sent.get(j.id) === 2 && (j.path.endsWith('CRASH2.tar') || (/CRASH[13]\\.tar$/.test(j.path) && !j.skip)",
      "    || (j.path.endsWith('CRASH4.KILLONCE') && j.skip === 0))) process.exit(7);",
      '} };',
      'const reader = new ArchiveReader(port); const take = reader.take.bind(reader);',
      "parentPort.on('message', (m) => {",
      "  if (!Array.isArray(m)) { if ('archiveAck' in m) reader.ack(m.archiveAck); return; }",
      "  if (m.some((j) => j.path.endsWith('CRASH3.tar') && j.skip > 0)) process.exit(8);",
      "  for (const j of m) if (j.path.endsWith('.KILLONCE') && !existsSync(j.path + '.marker')) { writeFileSync(j.path + '.marker', ''); process.exit(5); }",
      '  const begun = []; for (const j of m) jobs.set(j.id, j);',
      '  parentPort.postMessage(m.map((j) => runJob(j, take, (s) => begun.push(s)))); begun.forEach((s) => s());',
      '});',
    ].join('\n'));
    const pool = new Pool(2, pathToFileURL(script));
    try {
      const once = streamOf(await pool.run(job(join(tmp, 'CRASH1.tar'))));
      const got = await drain(once);
      expect(once.retried).toBe(true);
      expect(got).toEqual(await here(join(tmp, 'CRASH1.tar')));
      const twice = await drain(streamOf(await pool.run(job(join(tmp, 'CRASH2.tar')))));
      const last = twice[twice.length - 1];
      expect(last.t).toBe('result');
      if (last.t !== 'result') return;
      expect(last.result.path).toBe(join(tmp, 'CRASH2.tar'));
      expect(last.result.error?.message).toContain('the worker thread reading it stopped: exit code 7');
      // What came before it is what the archive holds, in order, nothing twice.
      expect(twice.slice(0, -1)).toEqual((await here(join(tmp, 'CRASH2.tar'))).slice(0, twice.length - 1));
      // Its retry stops a worker too, before a batch of it comes: the archive ends with that error (not a wait for
      // ever on a stream no worker reads).
      const third = await drain(streamOf(await pool.run(job(join(tmp, 'CRASH3.tar')))));
      const end = third[third.length - 1];
      if (end.t !== 'result') throw new Error(`expected a result, got ${end.t}`);
      expect(end.result.path).toBe(join(tmp, 'CRASH3.tar'));
      expect(end.result.error?.message).toContain('the worker thread reading it stopped: exit code 8');
      // Its worker stops before it replies, then the retry's worker mid-archive: two readings, the second its last.
      const fourth = await drain(streamOf(await pool.run(job(join(tmp, 'CRASH4.KILLONCE')))));
      const last4 = fourth[fourth.length - 1];
      if (last4.t !== 'result') throw new Error(`expected a result, got ${last4.t}`);
      expect(last4.result.error?.message).toContain('the worker thread reading it stopped: exit code 7');
      expect(fourth.slice(0, -1)).toEqual((await here(join(tmp, 'CRASH4.KILLONCE'))).slice(0, fourth.length - 1));
      // The pool still reads archives after it.
      expect(await drain(streamOf(await pool.run(job(join(tmp, 'elf.tar.gz')))))).toEqual(await here(join(tmp, 'elf.tar.gz')));
    } finally {
      await pool.close();
    }
  });

  it('beside an archive, stopped by a file: both read again, in job order, each alone (nothing sent beside a retry)', async () => {
    const pool = new Pool(2, pathToFileURL(join(tmp, 'stopping-worker.mjs')));
    try {
      const a = streamOf(await pool.run(job(join(tmp, 'many.tar'))));
      // Its worker reads it until OUTSTANDING batches wait; then a file that stops the first worker given it goes
      // there, beside it.
      await settled(() => a.received);
      const order: string[] = [];
      const k = pool.run(job(join(tmp, 'K1.KILLONCE'))).then((r) => {
        order.push('file');
        return r;
      });
      const got = await drain(a);
      order.push('archive');
      const r = await k;
      if (r.kind !== 'result') throw new Error(`expected a result, got ${r.kind}`);
      expect(r.result.error).toBeNull();
      expect(a.retried).toBe(true);
      expect(got).toEqual(await here(join(tmp, 'many.tar')));
      // The archive (the earlier job) was read again first, alone: the file waited for its worker to be free.
      expect(order).toEqual(['archive', 'file']);
    } finally {
      await pool.close();
    }
  });
});

describe('inspectFiles over many archives with workers', () => {
  it('hands the handlers what one thread gives, in input order, with archives read by the worker', async () => {
    const archives = ['one4.tar', 'elf.tar.gz', 'pe.tar.xz', 'macho.zip', 'many.tar', 'one0.tar', 'one1.tar'].map((f) => join(tmp, f));
    const paths = [...archives, sample('elf/musl-static'),
      sample('elf/glibc-pie'), join(tmp, 'no-such.tar'), join(tmp, 'one2.tar'), sample('misc/truncated-elf')];
    const run = async (workers: Workers | null) => {
      const out: string[] = [];
      await inspectFiles(paths, {
        result: (r, inner) => void out.push(`result ${inner} ${JSON.stringify(r)}`),
        link: (l) => void out.push(`link ${JSON.stringify(l)}`),
        note: (n) => void out.push(`note ${JSON.stringify(n)}`),
        skipped: (s) => void out.push(`skipped ${s}`),
        inputDone: (i) => void out.push(`done ${i}`),
      }, {}, workers);
      return out;
    };
    const kinds: string[] = [];
    class Recording extends Workers {
      private seen = new Set<Pool>();
      override want(queued?: number) {
        const p = super.want(queued);
        if (p && !this.seen.has(p)) {
          this.seen.add(p);
          const submit = p.submit.bind(p);
          p.submit = (j) => { const r = submit(j); void r.reply.then((x) => kinds.push(x.kind)); return r; };
        }
        return p;
      }
    }
    const one = await run(null);
    const workers = new Recording(2, WORKER);
    try {
      expect(await run(workers)).toEqual(one);
    } finally {
      await workers.close();
    }
    expect(one.filter((l) => l.startsWith('done'))).toHaveLength(paths.length);
    // The first path was this thread's next: handed back, not read by the worker (this thread would wait for it, idle);
    // archives after it were read by the worker.
    expect(kinds[0]).toBe('archive');
    expect(kinds.filter((k) => k === 'stream').length).toBeGreaterThan(1);
    // A run keeping members' bytes (a function no worker can be given) reads every archive here.
    kinds.length = 0;
    const keeping = new Recording(2, WORKER);
    try {
      await inspectFiles(paths, { result: () => {} }, { keep: () => false }, keeping);
    } finally {
      await keeping.close();
    }
    expect(kinds.length).toBeGreaterThan(5);
    expect(kinds).not.toContain('stream');
  });

  it('the CLI: inspect, audit and verify over archives and files give the same with --jobs 4 as with 1', () => {
    const deb = join(tmp, 'debroot');
    mkdirSync(join(deb, 'DEBIAN'), { recursive: true });
    mkdirSync(join(deb, 'usr/lib'), { recursive: true });
    copyFileSync(sample('elf/glibc-pie'), join(deb, 'usr/lib/app'));
    writeFileSync(join(deb, 'DEBIAN/control'), 'Package: p\nVersion: 1\nArchitecture: amd64\nMaintainer: t <t@t>\nDescription: t\n');
    sh(`dpkg-deb --root-owner-group -Zxz --build ${deb} ${join(tmp, 'p.deb')} >/dev/null`);
    sh(`head -c 3000 ${join(tmp, 'elf.tar.gz')} > ${join(tmp, 'cut.tar.gz')}`);
    const paths = [sample('elf/musl-static'), join(tmp, 'elf.tar.gz'), join(tmp, 'p.deb'), join(tmp, 'cut.tar.gz'), join(tmp, 'pe.tar.xz'),
      join(tmp, 'macho.zip'), sample('elf-tree'), join(tmp, 'one3.tar'), sample('misc/not-a-binary.txt')];
    const files = readdirSync(tmp).filter((f) => /^one\d+\.tar$/.test(f)).map((f) => join(tmp, f));
    expect(files.length).toBe(45);
    const commands = [
      ['inspect', '--json'], ['inspect', '--libs'], ['audit', '--format', 'json'], ['verify', '--plan', sample('linkplan.toml'), '--format', 'json'],
    ];
    for (const args of commands) {
      const a = cli([...args, ...paths, ...files, '--jobs', '1']);
      const b = cli([...args, ...paths, ...files, '--jobs', '4']);
      expect(b.stdout, args.join(' ')).toBe(a.stdout);
      expect(b.stderr, args.join(' ')).toBe(a.stderr);
      expect(b.code, args.join(' ')).toBe(a.code);
      expect(a.stderr, args.join(' ')).toContain('cut.tar.gz');
    }
    expect(statSync(join(tmp, 'p.deb')).size).toBeGreaterThan(0);
  });
});
