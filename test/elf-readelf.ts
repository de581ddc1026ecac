import { tool } from './helpers.js';

/** What readelf -h -l -d -n -W reports, in the terms our facts use. */
export interface ReadelfView {
  eType: string;
  interp: string | null;
  needed: string[];
  soname: string | null;
  rpath: string | null;
  runpath: string | null;
  flags: string[];
  flags1: string[];
  tags: string[];
  hasDynamic: boolean;
  /** readelf -h: Class, Data, OS/ABI, Machine as printed. */
  cls: string;
  data: string;
  osabi: string;
  machine: string;
  /** readelf -l: program header types (PHDR, LOAD, GNU_STACK…) in order, and GNU_STACK's flags (RW, RWE). */
  segments: string[];
  gnuStack: string | null;
  /** readelf -n: the first GNU build ID and ABI tag ("Linux 3.2.0"). */
  buildId: string | null;
  abiTag: string | null;
}

function parseOne(text: string): ReadelfView {
  const v: ReadelfView = {
    eType: '', interp: null, needed: [], soname: null, rpath: null, runpath: null, flags: [], flags1: [], tags: [], hasDynamic: false,
    cls: '', data: '', osabi: '', machine: '', segments: [], gnuStack: null, buildId: null, abiTag: null,
  };
  let inPhdrs = false;
  for (const line of text.split('\n')) {
    let m: RegExpExecArray | null;
    if (/^Program Headers:/.test(line)) { inPhdrs = true; continue; }
    if (inPhdrs) {
      if (!line.trim()) { inPhdrs = false; continue; }
      if ((m = /^\s+(\S+)\s+0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ ([RWE ]{3})/.exec(line))) {
        v.segments.push(m[1]);
        if (m[1] === 'GNU_STACK') v.gnuStack = m[2].replace(/ /g, '');
      } else if ((m = /\[Requesting program interpreter: (.*)\]$/.exec(line))) v.interp = m[1];
      continue;
    }
    if ((m = /^\s+Class:\s+(\S+)/.exec(line)) && !v.cls) v.cls = m[1];
    else if ((m = /^\s+Data:\s+.*, (little|big) endian/.exec(line)) && !v.data) v.data = m[1];
    else if ((m = /^\s+OS\/ABI:\s+(.*)$/.exec(line)) && !v.osabi) v.osabi = m[1].trim();
    else if ((m = /^\s+Machine:\s+(.*)$/.exec(line)) && !v.machine) v.machine = m[1].trim();
    else if ((m = /Build ID: ([0-9a-f]+)/.exec(line)) && !v.buildId) v.buildId = m[1];
    else if ((m = /NT_GNU_ABI_TAG.*OS: (\w+), ABI: ([\d.]+)/.exec(line)) && !v.abiTag) v.abiTag = `${m[1]} ${m[2]}`;
    else if ((m = /^\s+Type:\s+(\w+)/.exec(line)) && !v.eType) v.eType = `ET_${m[1]}`;
    else if ((m = /\[Requesting program interpreter: (.*)\]$/.exec(line))) v.interp = m[1];
    else if ((m = /^\s*0x[0-9a-f]+ \((\w+)\)\s+(.*)$/.exec(line))) {
      v.hasDynamic = true;
      const [, tag, rest] = m;
      const br = /\[(.*)\]$/.exec(rest)?.[1] ?? null;
      if (tag === 'NEEDED') v.needed.push(br!);
      else if (tag === 'SONAME') v.soname = br;
      else if (tag === 'RPATH') v.rpath = v.rpath === null ? br : `${v.rpath}:${br}`;
      else if (tag === 'RUNPATH') v.runpath = v.runpath === null ? br : `${v.runpath}:${br}`;
      else if (tag === 'FLAGS') v.flags.push(...rest.replace(/^Flags:\s*/, '').split(/\s+/).filter(Boolean));
      else if (tag === 'FLAGS_1') v.flags1.push(...rest.replace(/^Flags:\s*/, '').split(/\s+/).filter(Boolean));
      else if (['BIND_NOW', 'TEXTREL', 'DEBUG', 'SYMBOLIC'].includes(tag)) v.tags.push(`DT_${tag}`);
    }
  }
  return v;
}

/** readelf over many files in few processes (it prints "File: <path>" before each when given several). */
export function readelfMany(paths: string[]): Map<string, ReadelfView> {
  const out = new Map<string, ReadelfView>();
  for (let i = 0; i < paths.length; i += 200) {
    const batch = paths.slice(i, i + 200);
    let text: string;
    try {
      text = tool('readelf', ['-h', '-l', '-d', '-n', '-W', '--', ...batch]);
    } catch (e) {
      text = (e as { stdout?: string }).stdout ?? '';
    }
    if (batch.length === 1) {
      out.set(batch[0], parseOne(text));
      continue;
    }
    const parts = text.split(/^File: /m).slice(1);
    for (const part of parts) {
      const nl = part.indexOf('\n');
      out.set(part.slice(0, nl).trim(), parseOne(part.slice(nl + 1)));
    }
  }
  return out;
}

/** Version names required (readelf -V: .gnu.version_r "Name:" entries). */
export function readelfVersionNeeds(path: string): string[] {
  const t = tool('readelf', ['-V', '-W', path]);
  const i = t.indexOf("Version needs section");
  if (i < 0) return [];
  const sec = t.slice(i).split(/\n\n/)[0];
  return [...sec.matchAll(/Name: (\S+)\s+Flags/g)].map((m) => m[1]);
}
