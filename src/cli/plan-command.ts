import { EXIT_ERROR, EXIT_OK, errorLine, write } from './output.js';
import { discoverPlan, readPlan, readPlanLayers, selection } from './verify-command.js';
import { renderPlanJson, renderPlanToml } from '../plan/show.js';
import { initPlan, parseChannel } from '../plan/init.js';
import { capList, visible } from '../report/text.js';

export function runPlanInit(opts: { target?: string; crtStatic?: boolean; channel?: string }): number {
  if (!opts.target && !opts.channel) {
    errorLine('plan init needs --target <rust target triple> (e.g. x86_64-unknown-linux-musl), --channel <channel>, or both');
    return EXIT_ERROR;
  }
  const channel = opts.channel === undefined ? undefined : parseChannel(opts.channel);
  if (typeof channel === 'object') { errorLine(channel.error); return EXIT_ERROR; }
  const r = initPlan(opts.target, opts.crtStatic, channel);
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

/** `plan show`: the effective plan of the run's layers (as verify would use it), TOML or JSON. */
export function runPlanShow(opts: { plan?: string | string[]; target?: string; format?: string }): number {
  const format = opts.format ?? 'toml';
  if (format !== 'toml' && format !== 'json') { errorLine(`unknown --format '${format}' for plan show (expected toml, json)`); return EXIT_ERROR; }
  const loaded = readPlanLayers(opts.plan);
  if ('failed' in loaded || !loaded.plan) return EXIT_ERROR;
  const plan = loaded.plan;
  const sel = selection(plan, { target: opts.target });
  if ('error' in sel) { errorLine(sel.error); return EXIT_ERROR; }
  const artifacts = sel.selectArtifact ? plan.artifacts.filter(sel.selectArtifact) : plan.artifacts;
  write(format === 'json' ? renderPlanJson(plan, artifacts) : renderPlanToml(plan, artifacts));
  return EXIT_OK;
}
