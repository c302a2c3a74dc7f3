/** Names and contents of saved trace files: `<spec>.<design>.<property>.<ext>`. */
import { renderTrace, type TraceFormat } from '../report/index.ts';
import type { Model, PropertyResult } from '../model.ts';
import type { TraceContext } from '../report/index.ts';
import { traceContext } from '../review/data.ts';
import { traceBaseName } from '../review/names.ts';
import { writeFiles } from './atomic.ts';
import type { Prepared } from './run.ts';
import { toolVersion } from '../version.ts';

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
export function traceFileContent(
  format: TraceFormat,
  model: Model<unknown, unknown>,
  result: PropertyResult<unknown, unknown>,
  ctx: TraceContext,
): string {
  const text = renderTrace(format, model, result, ctx).trimEnd();
  if (format === 'mermaid' && !text.startsWith('```')) return `\`\`\`mermaid\n${text}\n\`\`\`\n`;
  return `${text}\n`;
}

/**
 * The traces of one design's run, as `check` and `simulate` give them: each spec property's
 * trace as a file for --out (violated and satisfied alike), and the renderings of the violated
 * ones to print.
 */
export function designTraces(
  format: TraceFormat,
  { loaded, design, model }: Prepared,
  results: readonly PropertyResult<unknown, unknown>[],
): { files: { name: string; content: string }[]; violated: string[] } {
  const ctx = traceContext({ specId: loaded.id, spec: loaded.spec, design, model }, toolVersion);
  const files: { name: string; content: string }[] = [];
  const violated: string[] = [];
  for (const name of loaded.spec.properties) {
    const result = results.find((p) => p.name === name);
    if (!result?.trace) continue;
    // The rendering names the property, model, spec, design and length itself.
    const content = traceFileContent(format, model, result, ctx);
    files.push({ name: traceFileName(loaded.id, design, name, format), content });
    if (result.status === 'violated') violated.push(content);
  }
  return { files, violated };
}

/**
 * The end of one design's report, as `check` and `simulate` print it: each spec property's
 * outcome (`rows`, aligned), then the trace of each violated one; with --out, every trace is
 * added to `files`.
 */
export function printOutcomes(
  { format, out }: { format: TraceFormat; out?: string },
  one: Prepared,
  rows: readonly { text: string; property: string }[],
  results: readonly PropertyResult<unknown, unknown>[],
  files: { name: string; content: string }[],
): void {
  const width = Math.max(...rows.map((r) => r.text.length));
  for (const row of rows) process.stdout.write(`  ${row.text.padEnd(width)}  ${row.property}\n`);
  const traces = designTraces(format, one, results);
  if (out !== undefined) files.push(...traces.files);
  for (const text of traces.violated) process.stdout.write(`\n${text}`);
}

/** With --out, writes the traces `printOutcomes` collected and says where each went. */
export function writeTraceFiles(out: string | undefined, files: readonly { name: string; content: string }[]): void {
  if (out === undefined) return;
  for (const path of writeFiles(out, files)) process.stdout.write(`wrote ${path}\n`);
}
