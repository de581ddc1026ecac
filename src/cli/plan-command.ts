import { EXIT_ERROR, EXIT_OK, errorLine, write } from './output.js';
import { discoverPlan, readPlan } from './verify-command.js';
import { initPlan } from '../plan/init.js';
import { capList, visible } from '../report/text.js';

export function runPlanInit(opts: { target?: string; crtStatic?: boolean }): number {
  if (!opts.target) {
    errorLine('plan init needs --target <rust target triple> (e.g. x86_64-unknown-linux-musl)');
    return EXIT_ERROR;
  }
  const r = initPlan(opts.target, opts.crtStatic);
  if ('error' in r) { errorLine(r.error); return EXIT_ERROR; }
  write(r.text);
  return EXIT_OK;
}

/** `plan check [FILE]`: parse and validate only; one line either way. */
export function runPlanCheck(file: string | undefined): number {
  const f = file ?? discoverPlan(process.cwd());
  if (f === null) { errorLine('no plan found; pass the plan file'); return EXIT_ERROR; }
  const plan = readPlan(f);
  if (!plan) return EXIT_ERROR;
  const names = capList(plan.artifacts, (a) => a.name, 20, 200).join('; ');
  write(`${visible(f)}: ok, ${plan.artifacts.length} artifact${plan.artifacts.length === 1 ? '' : 's'} (${names || 'none'})\n`);
  return EXIT_OK;
}

export async function runPlanSchema(): Promise<number> {
  const { planJsonSchema } = await import('../plan/schema.js');
  write(JSON.stringify(planJsonSchema(), null, 2) + '\n');
  return EXIT_OK;
}
