/**
 * `inspect --format cyclonedx`: a CycloneDX 1.6 JSON BOM. One component per binary (type application, or library
 * for a shared library), the libraries it carries statically as its nested `components` with the evidence that
 * proves them, and every needed library as a component of its own that the binary `dependsOn`. Validated against
 * the official schema in test/cyclonedx.test.ts. Binaries are kept as small component objects, never as facts.
 */
import type { BinaryResult, Evidence } from '../facts/types.js';
import { isFailed } from '../facts/types.js';

interface Identity {
  field: 'name' | 'version';
  confidence: number;
  methods: { technique: 'binary-analysis' | 'filename'; confidence: number; value: string }[];
}

interface Component {
  type: 'application' | 'library' | 'file';
  'bom-ref': string;
  name: string;
  version?: string;
  properties?: { name: string; value: string }[];
  components?: Component[];
  evidence?: { identity: Identity[] };
}

const base = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
const evText = (e: Evidence) => `${e.field}: ${String(e.value)}`;

export class InspectCycloneDx {
  private readonly components: Component[] = [];
  private readonly needed = new Map<string, Component>();
  private readonly deps: { ref: string; dependsOn: string[] }[] = [];
  private readonly byRef = new Map<string, Component>();
  private readonly notes: { name: string; value: string }[] = [];
  constructor(private readonly version: string) {}

  /**
   * An audit's findings on the binaries of the BOM, as `linkplan:finding` properties ("error build-path: …"); a
   * finding about something that is no component (an archive member that is no binary) goes to the metadata.
   */
  annotate(file: string, severity: string, rule: string, message: string): void {
    const p = { name: 'linkplan:finding', value: `${severity} ${rule}: ${message}` };
    const c = this.byRef.get(`binary:${file}`);
    if (c) (c.properties ??= []).push(p);
    else this.notes.push({ name: 'linkplan:finding', value: `${file}: ${p.value}` });
  }

  add(b: BinaryResult): void {
    const ref = `binary:${b.path}`;
    if (isFailed(b)) {
      const properties = [{ name: 'linkplan:path', value: b.path }, { name: 'linkplan:error', value: b.error.message }];
      const failed: Component = { type: 'file', 'bom-ref': ref, name: base(b.path), properties };
      this.components.push(failed);
      this.byRef.set(ref, failed);
      return;
    }
    const props = [
      ['linkplan:path', b.path], ['linkplan:format', b.format], ['linkplan:arch', b.arch], ['linkplan:linkage', b.linkage ?? 'none'], ['linkplan:libc', b.libc],
    ].map(([name, value]) => ({ name, value }));
    const inner: Component[] = [];
    for (const l of b.libs?.libraries ?? []) {
      if (l.verdict !== 'static') continue;
      const methods = l.evidence.map((e) => ({ technique: 'binary-analysis' as const, confidence: 1, value: evText(e) }));
      const c: Component = {
        type: 'library', 'bom-ref': `${ref}#${l.name}`, name: l.name,
        properties: [{ name: 'linkplan:linked', value: 'static' }, ...(l.variant ? [{ name: 'linkplan:variant', value: l.variant }] : [])],
        evidence: { identity: [{ field: 'name', confidence: 1, methods }] },
      };
      if (l.version) {
        c.version = l.version;
        const vm = methods.filter((m) => m.value.includes(l.version!));
        if (vm.length) c.evidence!.identity.push({ field: 'version', confidence: 1, methods: vm });
      }
      inner.push(c);
    }
    const comp: Component = { type: b.type === 'shared-library' ? 'library' : 'application', 'bom-ref': ref, name: base(b.path), properties: props };
    if (inner.length) comp.components = inner;
    this.components.push(comp);
    this.byRef.set(ref, comp);
    const dependsOn: string[] = [];
    const seen = new Set<string>();
    for (const n of b.needed) {
      const nref = `needed:${n}`;
      if (!this.needed.has(nref)) {
        const known = b.libs?.libraries.find((l) => l.verdict === 'dynamic' && l.needed.includes(n));
        this.needed.set(nref, {
          type: 'library', 'bom-ref': nref, name: n,
          properties: [{ name: 'linkplan:linked', value: 'dynamic' }, ...(known ? [{ name: 'linkplan:library', value: known.name }] : [])],
        });
      }
      if (!seen.has(nref)) { seen.add(nref); dependsOn.push(nref); }
    }
    this.deps.push({ ref, dependsOn });
  }

  finish(): string {
    const bom = {
      bomFormat: 'CycloneDX', specVersion: '1.6', version: 1,
      metadata: {
        tools: { components: [{ type: 'application', name: 'linkplan', version: this.version }] },
        ...(this.notes.length ? { properties: this.notes } : {}),
      },
      components: [...this.components, ...this.needed.values()],
      dependencies: [...this.deps, ...[...this.needed.keys()].map((ref) => ({ ref, dependsOn: [] }))],
    };
    return `${JSON.stringify(bom, null, 2)}\n`;
  }
}
