import type { DiffReport } from '../diff/model.js';

/** `diff --format json`: the report as data (schema/diff.schema.json), with the tool that wrote it. */
export function renderDiffJson(r: DiffReport, version: string): string {
  const { schemaVersion, ...rest } = r;
  return JSON.stringify({ schemaVersion, tool: { name: 'linkplan', version }, ...rest }, null, 2) + '\n';
}
