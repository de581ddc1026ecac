/**
 * Every fact rule, registered by one line. The mapped type makes a rule id without a registered rule (or a rule
 * under the wrong id) a compile error.
 */
import type { FactRuleId } from '../model.js';
import type { Rule } from './define.js';
import arch from './arch.js';
import bindNow from './bind-now.js';
import binaryType from './binary-type.js';
import crt from './crt.js';
import crtDebug from './crt-debug.js';
import delayImports from './delay-imports.js';
import dylibsAllow from './dylibs-allow.js';
import depsProvenance from './deps-provenance.js';
import depsResolve from './deps-resolve.js';
import glibcMax from './glibc-max.js';
import installName from './install-name.js';
import interpreter from './interpreter.js';
import libc from './libc.js';
import libs from './libs.js';
import linkage from './linkage.js';
import macosMin from './macos-min.js';
import neededAllow from './needed-allow.js';
import neededForbid from './needed-forbid.js';
import nxStack from './nx-stack.js';
import pie from './pie.js';
import relro from './relro.js';
import rpath from './rpath.js';
import runpath from './runpath.js';
import searchPaths from './search-paths.js';
import soname from './soname.js';
import textrel from './textrel.js';

export const RULES: { [K in FactRuleId]: Rule<K> } = {
  'binary-type': binaryType,
  linkage,
  libc,
  pie,
  interpreter,
  'needed-allow': neededAllow,
  'needed-forbid': neededForbid,
  rpath,
  runpath,
  'search-paths': searchPaths,
  soname,
  'install-name': installName,
  crt,
  'crt-debug': crtDebug,
  'delay-imports': delayImports,
  'glibc-max': glibcMax,
  'macos-min': macosMin,
  arch,
  relro,
  'bind-now': bindNow,
  'nx-stack': nxStack,
  textrel,
  'dylibs-allow': dylibsAllow,
  'deps-resolve': depsResolve,
  'deps-provenance': depsProvenance,
  libs,
};

/** In report order. */
export const RULE_LIST: Rule[] = Object.values(RULES) as Rule[];
