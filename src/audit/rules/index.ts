/**
 * Every audit rule, registered by one line. The mapped type makes an audit rule id without a registered rule (or a
 * rule under the wrong id) a compile error.
 */
import type { AuditRuleId } from '../../plan/model.js';
import type { AuditRule } from '../define.js';
import buildPath from './build-path.js';
import debugCrt from './debug-crt.js';
import execStack from './exec-stack.js';
import glibcFloor from './glibc-floor.js';
import homebrewPath from './homebrew-path.js';
import pdbPath from './pdb-path.js';
import slicesDisagree from './slices-disagree.js';
import textRelocations from './text-relocations.js';
import unanchoredSearchPath from './unanchored-search-path.js';
import unshippedDependency from './unshipped-dependency.js';
import unprefixedAllocator from './unprefixed-allocator.js';

export const AUDIT_RULES_BY_ID: { [K in AuditRuleId]: AuditRule<K> } = {
  'build-path': buildPath,
  'unanchored-search-path': unanchoredSearchPath,
  'unshipped-dependency': unshippedDependency,
  'debug-crt': debugCrt,
  'homebrew-path': homebrewPath,
  'pdb-path': pdbPath,
  'text-relocations': textRelocations,
  'exec-stack': execStack,
  'slices-disagree': slicesDisagree,
  'glibc-floor': glibcFloor,
  'unprefixed-allocator': unprefixedAllocator,
};
