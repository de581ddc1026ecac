import { Reader } from '../../bytes/reader.js';
import type { ByteSource } from '../../bytes/source.js';
import { MalformedError, isMalformed } from '../../bytes/errors.js';
import { limits } from '../../bytes/limits.js';
import type { Warning } from '../../bytes/warning.js';
import type { MachHeader } from './header.js';
import {
  DYLIB_LOAD_KINDS, LC_BUILD_VERSION, LC_CODE_SIGNATURE, LC_DYLD_CHAINED_FIXUPS, LC_DYLD_ENVIRONMENT,
  LC_DYLD_EXPORTS_TRIE, LC_DYLD_INFO, LC_DYLD_INFO_ONLY, LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64, LC_ID_DYLIB,
  LC_ID_DYLINKER, LC_LOAD_DYLINKER, LC_MAIN, LC_NAMES, LC_RPATH, LC_SEGMENT, LC_SEGMENT_64, LC_SYMTAB, LC_UNIXTHREAD, LC_UUID,
  VERSION_MIN_PLATFORM,
} from './constants.js';

/** struct dylib_command: LC_LOAD_DYLIB and its weak / re-export / lazy / upward variants, and LC_ID_DYLIB. */
export interface DylibCommand {
  cmd: number;
  name: string;
  timestamp: number;
  /** Packed xxxx.yy.zz (loader.h "struct dylib"). */
  currentVersion: number;
  compatibilityVersion: number;
}

/** struct build_version_command + its build_tool_version entries. Versions packed xxxx.yy.zz. */
export interface BuildVersion {
  platform: number;
  minos: number;
  sdk: number;
  tools: { tool: number; version: number }[];
}

/** struct version_min_command (LC_VERSION_MIN_MACOSX / _IPHONEOS / _TVOS / _WATCHOS). */
export interface VersionMin {
  cmd: number;
  version: number;
  sdk: number;
}

/** struct linkedit_data_command: where a __LINKEDIT blob (code signature, chained fixups…) lives. */
export interface LinkeditData {
  dataoff: number;
  datasize: number;
}

export interface LoadCommands {
  /** cmd of every load command, in file order. */
  cmds: number[];
  /** Every dylib-loading command in load-command order (LC_LOAD_DYLIB, _WEAK_, REEXPORT, LAZY, UPWARD). */
  dylibs: DylibCommand[];
  idDylib: DylibCommand | null;
  rpaths: string[];
  dylinker: string | null;
  idDylinker: string | null;
  dyldEnvironment: string[];
  buildVersions: BuildVersion[];
  versionMins: VersionMin[];
  uuid: string | null;
  main: { entryoff: number; stacksize: number } | null;
  unixThread: boolean;
  codeSignature: LinkeditData | null;
  chainedFixups: LinkeditData | null;
  dyldInfo: boolean;
  exportsTrie: boolean;
  /** Where the exports trie is (LC_DYLD_INFO(_ONLY) export_off/export_size, or LC_DYLD_EXPORTS_TRIE), image-relative. */
  exportTrie: LinkeditData | null;
  /** cryptid of LC_ENCRYPTION_INFO(_64); null when there is none. */
  cryptid: number | null;
  segments: string[];
  /** LC_SYMTAB: the nlist table and its string table, offsets from the image start. */
  symtab: { symoff: number; nsyms: number; stroff: number; strsize: number } | null;
  /** Read-only data sections (__TEXT,__cstring / __const, __DATA_CONST,__const), for the version-string scan. */
  roSections: { name: string; offset: number; size: number }[];
  warnings: Warning[];
}

/** Sections whose bytes are read-only constants: where a library's version strings sit. */
const RO_SECTIONS = new Set(['__TEXT,__cstring', '__TEXT,__const', '__DATA_CONST,__const']);

const name = (cmd: number) => LC_NAMES[cmd] ?? `LC_0x${cmd.toString(16)}`;

/**
 * An lc_str (a union whose `offset` is from the start of the load command) that must lie after the command's
 * fixed part and end with a NUL inside cmdsize: dyld refuses the image otherwise, so this is MalformedError.
 */
function lcStr(c: Reader, field: number, fixed: number, what: string): string {
  const off = c.u32(field);
  if (off < fixed) c.fail(field, `${what}.offset ${off} points inside the fixed part of the command (${fixed} bytes)`);
  if (off >= c.length) c.fail(field, `${what}.offset ${off} is past the end of the load command (cmdsize ${c.length})`);
  return c.cstr(off, Math.min(c.length - off, limits.maxStringBytes));
}

function need(c: Reader, min: number): void {
  if (c.length < min) c.fail(4, `${c.what} cmdsize ${c.length} is smaller than the command (${min} bytes)`);
}

/**
 * Walk the load commands of one image (mach-o/loader.h "load commands directly follow the mach_header"). Only
 * header + sizeofcmds bytes are read. The walk itself and the commands that say what gets loaded (dylibs,
 * rpaths, the dylinker, the install name) must be intact, as dyld requires; a broken UUID, build version,
 * LC_MAIN or __LINKEDIT pointer only costs that fact and becomes a warning.
 */
export function readLoadCommands(src: ByteSource, h: MachHeader, imageSize: number): LoadCommands {
  const start = h.offset + h.size;
  if (h.ncmds > limits.maxLoadCommands) throw new MalformedError('macho', h.offset + 16, `ncmds ${h.ncmds} exceeds the limit of ${limits.maxLoadCommands}`);
  if (h.sizeofcmds > imageSize - h.size) {
    throw new MalformedError('macho', h.offset + 20,
      `sizeofcmds ${h.sizeofcmds} runs past the end of the image (${imageSize - h.size} bytes after the header)`);
  }
  if (h.sizeofcmds > limits.maxStructBytes) {
    throw new MalformedError('macho', h.offset + 20, `sizeofcmds ${h.sizeofcmds} exceeds the limit of ${limits.maxStructBytes}`);
  }
  // Every load command is at least 8 bytes (cmd, cmdsize).
  if (h.ncmds > h.sizeofcmds / 8) throw new MalformedError('macho', h.offset + 16, `ncmds ${h.ncmds} cannot fit in sizeofcmds ${h.sizeofcmds}`);

  const r = new Reader(src.read(start, h.sizeofcmds, 'macho', 'load commands'), h.le, 'macho', start, 'load commands');
  const out: LoadCommands = {
    cmds: [], dylibs: [], idDylib: null, rpaths: [], dylinker: null, idDylinker: null, dyldEnvironment: [],
    buildVersions: [], versionMins: [], uuid: null, main: null, unixThread: false, codeSignature: null,
    chainedFixups: null, dyldInfo: false, exportsTrie: false, exportTrie: null, cryptid: null, segments: [], symtab: null, roSections: [], warnings: [],
  };
  const warn = (code: string, e: unknown) => {
    if (!isMalformed(e)) throw e;
    out.warnings.push({ code, detail: e.reason, offset: e.offset });
  };
  const align = h.is64 ? 8 : 4;
  let misaligned = false;
  let o = 0;
  for (let i = 0; i < h.ncmds; i++) {
    if (o + 8 > h.sizeofcmds) r.fail(o, `load command ${i} starts at +${o}, past sizeofcmds ${h.sizeofcmds}`);
    const cmd = r.u32(o);
    const cmdsize = r.u32(o + 4);
    if (cmdsize < 8) r.fail(o + 4, `load command ${i} (${name(cmd)}) has cmdsize ${cmdsize}, less than 8`);
    if (cmdsize > h.sizeofcmds - o) r.fail(o + 4, `load command ${i} (${name(cmd)}) cmdsize ${cmdsize} runs past sizeofcmds ${h.sizeofcmds}`);
    // loader.h: cmdsize must be a multiple of 4 (32-bit) or 8 (64-bit). Old tools got this wrong; keep reading.
    if (cmdsize % align !== 0 && !misaligned) {
      misaligned = true;
      out.warnings.push({
        code: 'macho.cmdsize-alignment', detail: `load command ${i} (${name(cmd)}) cmdsize ${cmdsize} is not a multiple of ${align}`,
        offset: start + o + 4,
      });
    }
    const c = r.sub(o, cmdsize, name(cmd));
    out.cmds.push(cmd);
    const kind = DYLIB_LOAD_KINDS[cmd];
    if (kind !== undefined || cmd === LC_ID_DYLIB) {
      need(c, 24);
      const d: DylibCommand = { cmd, name: lcStr(c, 8, 24, 'dylib.name'), timestamp: c.u32(12), currentVersion: c.u32(16), compatibilityVersion: c.u32(20) };
      if (kind !== undefined) out.dylibs.push(d);
      else if (out.idDylib === null) out.idDylib = d;
      else {
        out.warnings.push({
          code: 'macho.duplicate-id-dylib', detail: `a second LC_ID_DYLIB (${d.name}) follows ${out.idDylib.name}; dyld uses the first`,
          offset: start + o,
        });
      }
    } else if (cmd === LC_RPATH) {
      need(c, 12);
      out.rpaths.push(lcStr(c, 8, 12, 'path'));
    } else if (cmd === LC_LOAD_DYLINKER || cmd === LC_ID_DYLINKER || cmd === LC_DYLD_ENVIRONMENT) {
      need(c, 12);
      const s = lcStr(c, 8, 12, 'name');
      if (cmd === LC_DYLD_ENVIRONMENT) out.dyldEnvironment.push(s);
      else if (cmd === LC_ID_DYLINKER) out.idDylinker ??= s;
      else if (out.dylinker === null) out.dylinker = s;
      else out.warnings.push({ code: 'macho.duplicate-dylinker', detail: `a second LC_LOAD_DYLINKER (${s}) follows ${out.dylinker}`, offset: start + o });
    } else {
      try {
        readOptional(c, cmd, out);
      } catch (e) {
        warn('macho.load-command', e);
      }
    }
    o += cmdsize;
  }
  return out;
}

/** Commands whose loss costs one fact, not the file. */
function readOptional(c: Reader, cmd: number, out: LoadCommands): void {
  switch (cmd) {
    case LC_UUID: {
      need(c, 24);
      const u = Array.from(c.bytes.subarray(8, 24), (x) => x.toString(16).padStart(2, '0').toUpperCase()).join('');
      const uuid = `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
      if (out.uuid === null) out.uuid = uuid;
      else c.fail(0, `a second LC_UUID (${uuid}) follows ${out.uuid}`);
      return;
    }
    case LC_BUILD_VERSION: {
      need(c, 24);
      const ntools = c.u32(20);
      if (ntools > (c.length - 24) / 8) c.fail(20, `LC_BUILD_VERSION ntools ${ntools} does not fit cmdsize ${c.length}`);
      const tools = [];
      for (let t = 0; t < ntools; t++) tools.push({ tool: c.u32(24 + t * 8), version: c.u32(28 + t * 8) });
      out.buildVersions.push({ platform: c.u32(8), minos: c.u32(12), sdk: c.u32(16), tools });
      return;
    }
    case LC_MAIN:
      need(c, 24);
      out.main = { entryoff: c.u64(8), stacksize: c.u64(16) };
      return;
    case LC_UNIXTHREAD:
      out.unixThread = true;
      return;
    case LC_CODE_SIGNATURE:
    case LC_DYLD_CHAINED_FIXUPS: {
      need(c, 16);
      const d = { dataoff: c.u32(8), datasize: c.u32(12) };
      if (cmd === LC_CODE_SIGNATURE) out.codeSignature = d;
      else out.chainedFixups = d;
      return;
    }
    case LC_DYLD_INFO:
    case LC_DYLD_INFO_ONLY:
      out.dyldInfo = true;
      // struct dyld_info_command: ... lazy_bind_off, lazy_bind_size, export_off (+40), export_size (+44).
      if (c.length >= 48 && c.u32(44) > 0) out.exportTrie = { dataoff: c.u32(40), datasize: c.u32(44) };
      return;
    case LC_DYLD_EXPORTS_TRIE:
      out.exportsTrie = true;
      if (c.length >= 16 && c.u32(12) > 0) out.exportTrie = { dataoff: c.u32(8), datasize: c.u32(12) };
      return;
    case LC_ENCRYPTION_INFO:
    case LC_ENCRYPTION_INFO_64:
      need(c, 20);
      out.cryptid = c.u32(16);
      return;
    case LC_SEGMENT:
    case LC_SEGMENT_64: {
      const is64 = cmd === LC_SEGMENT_64;
      need(c, is64 ? 72 : 56);
      out.segments.push(c.fixedStr(8, 16));
      // struct section(_64) entries follow the command; nsects is checked against cmdsize before the loop.
      const nsects = c.u32(is64 ? 64 : 48), fixed = is64 ? 72 : 56, size = is64 ? 80 : 68;
      if (nsects > (c.length - fixed) / size) c.fail(is64 ? 64 : 48, `nsects ${nsects} does not fit cmdsize ${c.length}`);
      for (let i = 0; i < nsects; i++) {
        const o = fixed + i * size;
        const name = `${c.fixedStr(o + 16, 16)},${c.fixedStr(o, 16)}`;
        if (!RO_SECTIONS.has(name)) continue;
        out.roSections.push(is64 ? { name, size: c.u64(o + 40), offset: c.u32(o + 48) } : { name, size: c.u32(o + 36), offset: c.u32(o + 40) });
      }
      return;
    }
    case LC_SYMTAB:
      need(c, 24);
      out.symtab ??= { symoff: c.u32(8), nsyms: c.u32(12), stroff: c.u32(16), strsize: c.u32(20) };
      return;
    default:
      if (VERSION_MIN_PLATFORM[cmd] !== undefined) {
        need(c, 16);
        out.versionMins.push({ cmd, version: c.u32(8), sdk: c.u32(12) });
      }
  }
}
