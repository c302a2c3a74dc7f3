/** Names and contents of saved trace files: `<spec>.<design>.<property>.<ext>`. */
import { renderTrace, type TraceFormat } from '../report/index.ts';
import type { Model, PropertyResult } from '../model.ts';
import type { TraceContext } from '../report/index.ts';
import { traceBaseName } from '../review/names.ts';

const extensions: Record<TraceFormat, string> = {
  text: '.txt',
  race: '.race.txt',
  mermaid: '.md',
  json: '.json',
  itf: '.itf.json',
};

export function traceFileName(spec: string, design: string, property: string, format: TraceFormat): string {
  return `${traceBaseName(spec, design, property)}${extensions[format]}`;
}

/** The file's content: the rendering, with Mermaid fenced so that the .md file renders. */
export function traceFileContent(format: TraceFormat, model: Model<unknown, unknown>, result: PropertyResult<unknown, unknown>, ctx: TraceContext): string {
  const text = renderTrace(format, model, result, ctx).trimEnd();
  if (format === 'mermaid' && !text.startsWith('```')) return `\`\`\`mermaid\n${text}\n\`\`\`\n`;
  return `${text}\n`;
}
