import { defineRule } from './define.js';

/** Mach-O: every dylib's class (apple-system, homebrew, relative, absolute-other) must be allowed. One finding per dylib. */
export default defineRule({
  id: 'dylibs-allow',
  severity: 'error',
  formats: ['macho'],
  param: (e) => e.dylibs?.allow,
  check(f, allow) {
    switch (f.format) {
      case 'elf': case 'pe': return [];
      case 'macho':
        return f.dylibs.filter((d) => !(allow as string[]).includes(d.class)).map((d) => ({
          field: d.cmd, expected: allow, actual: d.class, evidence: [{ field: d.cmd, value: d.name }],
          args: { name: d.name, class: d.class, allow },
        }));
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
