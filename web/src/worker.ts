/**
 * The worker that reads the bytes: each dropped file as `linkplan inspect` would read it when named on the command
 * line (a binary, or an archive walked in one streaming pass through File.stream()), results posted as they come.
 * It holds no file: a binary's bytes are read range by range (BlobSource), archive members one at a time.
 */
import {
  ARCHIVE_SNIFF_BYTES, chunksOf, failed, inspectEntries, inspectSource, sniff, sniffArchive, walkArchive, webDecompressors,
  type ArchiveKind, type BinaryResult, type Chunks, type Entry,
} from 'linkplan';
import { BlobSource } from './blob-source.js';
import type { ReadEvent, ReadRequest, StopRequest, WorkerMessage } from './protocol.js';

const scope = self as unknown as { postMessage(m: WorkerMessage): void; onmessage: ((e: MessageEvent<ReadRequest | StopRequest>) => void) | null };
const post = (m: WorkerMessage) => scope.postMessage(m);

/** Events are sent in small batches: one message per member of a 10,000-member tarball would flood the page. */
class Outbox {
  private events: ReadEvent[] = [];
  private last = 0;
  constructor(private readonly batch: number) {}
  push(e: ReadEvent): void {
    this.events.push(e);
    if (this.events.length >= 200 || performance.now() - this.last > 100) this.flush();
  }
  flush(): void {
    if (this.events.length) post({ type: 'events', batch: this.batch, events: this.events });
    this.events = [];
    this.last = performance.now();
  }
}

/** One dropped file as entries: what entries() in node/entries.ts does for a file named on the command line. */
async function* fileEntries(file: File, src: BlobSource, arc: ArchiveKind | null, counted: (c: Chunks) => Chunks): AsyncGenerator<Entry> {
  if (arc === null) {
    yield { kind: 'binary', path: file.name, inner: null, source: src, named: true };
    return;
  }
  // A zip is read by its central directory, positionally; every other container as a stream.
  const stream = () => counted(chunksOf(file.stream()));
  yield* walkArchive(arc === 'zip' ? { path: file.name, kind: arc, source: src } : { path: file.name, kind: arc, stream }, { decompressors: webDecompressors });
}

/** Which archive a dropped file is, by its first bytes (null: a file read as a binary), as the CLI sniffs it. */
function archiveKind(src: BlobSource): ArchiveKind | null {
  const head = src.read(0, Math.min(src.size, ARCHIVE_SNIFF_BYTES));
  return sniff(head) === null ? sniffArchive(head) : null;
}

async function read(req: ReadRequest): Promise<void> {
  const out = new Outbox(req.batch);
  const total = req.files.reduce((n, f) => n + f.size, 0);
  let before = 0;
  for (const [input, file] of req.files.entries()) {
    if (stopped.has(req.batch)) break;
    const src = new BlobSource(file, file.name);
    let streamed = 0, shown = 0;
    const progress = () => {
      const at = before + Math.min(file.size, Math.max(streamed, src.bytesRead));
      if (at - shown < 1 << 20 && at !== before + file.size) return;
      shown = at;
      post({ type: 'progress', batch: req.batch, read: at, total, file: file.name });
    };
    const counted = (c: Chunks): Chunks => (async function* () {
      for await (const x of c) {
        // Stopped: the stream ends here (the walker's error for it goes nowhere: the page has dropped this read).
        if (stopped.has(req.batch)) throw new Error('stopped');
        streamed += x.length;
        progress();
        yield x;
      }
    })();
    // The same binary read again with its libraries: what audit and --libs see (their warnings included), while
    // `result` stays exactly what plain `inspect` reports.
    let withLibs: BinaryResult | undefined;
    const entries = (arc: ArchiveKind | null) => (async function* () {
      for await (const e of fileEntries(file, src, arc, counted)) {
        if (stopped.has(req.batch)) return;
        withLibs = e.kind === 'binary' ? inspectSource(e.source, e.path, { libs: true }) : undefined;
        yield e;
      }
    })();
    try {
      // The page resolves dependencies over what was dropped: it needs to know which inputs are archives (trees).
      const arc = archiveKind(src);
      out.push({ kind: 'input', input, archive: arc });
      await inspectEntries(entries(arc), {
        result: (result, inner) => {
          out.push({ kind: 'result', input, result, inner, ...(withLibs ? { withLibs } : {}) });
          withLibs = undefined;
        },
        skipped: (path) => out.push({ kind: 'skipped', input, path }),
        link: (link) => out.push({ kind: 'link', input, link }),
        note: (note) => out.push({ kind: 'note', input, note }),
      });
    } catch (e) {
      // Reading a File can fail (it was moved or changed on disk after it was picked): that file's one line.
      const message = e instanceof Error ? e.message : String(e);
      out.push({ kind: 'result', input, inner: null, result: readFailure(file.name, message) });
    }
    streamed = file.size;
    progress();
    before += file.size;
    out.flush();
  }
  stopped.delete(req.batch);
  post({ type: 'done', batch: req.batch });
}

/** A file the browser could not read, as the CLI reports an unreadable file (error code `io`), every field there. */
const readFailure = (path: string, message: string): BinaryResult => failed(path, null, 'io', `cannot read: ${message}`);

/**
 * Reads the page has stopped. A read checks between entries and between stream chunks, so it ends within one
 * member (the worker stays: restarting it would fetch its script again, and the page fetches nothing after load).
 */
const stopped = new Set<number>();

scope.onmessage = (e) => {
  if (e.data.type === 'stop') { stopped.add(e.data.batch); return; }
  read(e.data).catch((err: unknown) => post({ type: 'failed', batch: e.data.batch, message: err instanceof Error ? err.message : String(err) }));
};
