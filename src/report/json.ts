import { SCHEMA_VERSION, type InspectReport } from './model.js';

export function renderInspectJson(r: InspectReport, version: string): string {
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, tool: { name: 'linkplan', version }, ...r }, null, 2) + '\n';
}
