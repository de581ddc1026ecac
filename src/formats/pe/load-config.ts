import type { Image } from './sections.js';
import {
  IMAGE_GUARD_CF_INSTRUMENTED, LOAD_CONFIG_GUARD_CF_FUNCTION_COUNT, LOAD_CONFIG_GUARD_FLAGS, LOAD_CONFIG_SECURITY_COOKIE,
  LOAD_CONFIG_SE_HANDLER_COUNT, PE_LIMITS,
} from './constants.js';

/** The IMAGE_LOAD_CONFIG_DIRECTORY32/64 fields that say how the image was hardened. */
export interface LoadConfig {
  /** The structure's own Size field (the loader trusts it over the data directory's size). */
  size: number;
  /** SecurityCookie non-zero: /GS stack cookies are initialised by the loader / CRT. */
  securityCookie: boolean;
  /** SEHandlerCount (PE32 SafeSEH), null when the structure is too old to hold it or the image is PE32+. */
  seHandlerCount: number | null;
  guardCfFunctionCount: number | null;
  /** GuardFlags; null when the structure predates it. */
  guardFlags: number | null;
  /** GuardFlags has IMAGE_GUARD_CF_INSTRUMENTED: the code carries CFG checks. */
  cfInstrumented: boolean;
}

export function readLoadConfig(img: Image, rva: number, is64: boolean): LoadConfig {
  const size = img.reader(rva, 4, 'IMAGE_LOAD_CONFIG_DIRECTORY').u32(0);
  const n = Math.min(size, PE_LIMITS.maxLoadConfigBytes, img.available(rva));
  const r = img.reader(rva, n, 'IMAGE_LOAD_CONFIG_DIRECTORY');
  const k = is64 ? 'pe64' : 'pe32';
  const has = (off: number, w: number) => off + w <= n;
  const word = (off: number) => (is64 ? r.u64big(off) !== 0n : r.u32(off) !== 0);
  const ptr = is64 ? 8 : 4;
  const guardFlags = has(LOAD_CONFIG_GUARD_FLAGS[k], 4) ? r.u32(LOAD_CONFIG_GUARD_FLAGS[k]) : null;
  const fc = LOAD_CONFIG_GUARD_CF_FUNCTION_COUNT[k];
  return {
    size,
    securityCookie: has(LOAD_CONFIG_SECURITY_COOKIE[k], ptr) ? word(LOAD_CONFIG_SECURITY_COOKIE[k]) : false,
    seHandlerCount: !is64 && has(LOAD_CONFIG_SE_HANDLER_COUNT.pe32, 4) ? r.u32(LOAD_CONFIG_SE_HANDLER_COUNT.pe32) : null,
    guardCfFunctionCount: has(fc, ptr) ? (is64 ? Number(r.u64big(fc) & 0xffffffffn) : r.u32(fc)) : null,
    guardFlags,
    cfInstrumented: guardFlags !== null && (guardFlags & IMAGE_GUARD_CF_INSTRUMENTED) !== 0,
  };
}
