import { defineRule } from './define.js';
import { fieldName } from './fields.js';

/** One spelling per architecture, so a plan may say x64, amd64 or x86_64 whatever the format calls it. */
const ALIASES: Record<string, string> = {
  amd64: 'x86_64', x64: 'x86_64', 'x86-64': 'x86_64',
  arm64: 'aarch64', arm64e: 'aarch64',
  x86: 'i386', i486: 'i386', i586: 'i386', i686: 'i386', ia32: 'i386',
  armv7: 'arm', armv7l: 'arm', thumbv7: 'arm',
  powerpc: 'ppc', powerpc64: 'ppc64', powerpc64le: 'ppc64le',
};
export const canonicalArch = (a: string) => ALIASES[a.toLowerCase()] ?? a.toLowerCase();

export default defineRule({
  id: 'arch',
  severity: 'error',
  param: (e) => e.arch,
  check(f, expected) {
    if (expected.some((a) => canonicalArch(a) === canonicalArch(f.arch))) return [];
    return [{
      field: fieldName(f, 'arch'), expected, actual: f.arch, evidence: [{ field: fieldName(f, 'arch'), value: f.arch }],
      args: { expected, actual: f.arch },
    }];
  },
});
