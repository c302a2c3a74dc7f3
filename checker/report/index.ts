/**
 * Counterexamples a reviewer can read and reuse: one module per format.
 *
 * - `text`: step by step, each step's thread and operation, then only what changed.
 * - `race`: the changelog diagram, one column per thread, the breaking step marked.
 * - `mermaid`: a sequenceDiagram that GitHub renders.
 * - `json`: the whole trace as data, with what `replaySaved` needs.
 * - `itf`: the Informal Trace Format that Quint and Apalache read.
 *
 * Generic over any model: actions read through its presentation's `formatAction` and `stepOf`
 * (else compact JSON), columns through `threadOf` / `actorOf`, the final sentence through
 * `explain`.
 */
import type { Model, PropertyResult } from '../model.ts';
import { renderItf, parseItfTrace } from './itf.ts';
import { JSON_FORMAT_ID, parseJsonTrace, renderJson } from './json.ts';
import { renderMermaid } from './mermaid.ts';
import { renderRace } from './race.ts';
import { fileError, isRecord, type SavedTrace } from './saved.ts';
import { renderText } from './text.ts';
import { noTraceLine, type TraceContext } from './verdict.ts';

export type TraceFormat = 'text' | 'race' | 'mermaid' | 'json' | 'itf';
export const traceFormats: readonly TraceFormat[] = ['text', 'race', 'mermaid', 'json', 'itf'];

export type { TraceContext } from './verdict.ts';
export { TOOL_VERSION } from './verdict.ts';
export { TraceFileError, type SavedTrace } from './saved.ts';
export { replaySaved, type ReplayVerdict } from './replay-saved.ts';
export { diff, formatChange, sameValue, type Change } from './diff.ts';
export { formatValue } from './value.ts';

/**
 * Renders one property's trace (violated or satisfied) in a format. A result without a trace
 * (holds, unsatisfied) renders as one line in the human formats, and as a document with no
 * steps in json and itf.
 */
export function renderTrace<S, A>(
  format: TraceFormat,
  model: Model<S, A>,
  result: PropertyResult<S, A>,
  ctx: TraceContext,
): string {
  const trace = result.trace && result.trace.steps.length > 0 ? result.trace : undefined;
  switch (format) {
    case 'json':
      return renderJson(model, result, ctx);
    case 'itf':
      return renderItf(model, result, ctx);
    case 'text':
      return trace ? renderText(model, result, trace, ctx) : `${noTraceLine(result, ctx)}\n`;
    case 'race':
      return trace ? renderRace(model, result, trace, ctx) : `${noTraceLine(result, ctx)}\n`;
    case 'mermaid':
      return trace ? renderMermaid(model, result, trace, ctx) : `${noTraceLine(result, ctx)}\n`;
    default:
      return unreachable(format);
  }
}

/** Parses a saved json or ITF trace; throws TraceFileError (one line: what is wrong, how to fix it). */
export function parseSavedTrace(text: string, fileName?: string): SavedTrace {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw fileError(
      fileName,
      `is not JSON (${(e as Error).message}); give a trace written by gmemcheck check --format json or --format itf`,
    );
  }
  if (!isRecord(doc))
    throw fileError(
      fileName,
      'is not a trace (a JSON object is expected); give a file written by --format json or --format itf',
    );
  if (doc.format === JSON_FORMAT_ID) return parseJsonTrace(doc, fileName);
  if ('states' in doc && 'vars' in doc) return parseItfTrace(doc, fileName);
  throw fileError(
    fileName,
    `is neither a gmemcheck json trace (format "${JSON_FORMAT_ID}") nor an ITF trace (vars, states); give a file written by --format json or --format itf`,
  );
}

/** Where the type system proves a switch complete: reaching here is a bug in the caller's types. */
function unreachable(x: never): never {
  throw new Error(`unknown trace format ${JSON.stringify(x)} (known: ${traceFormats.join(', ')})`);
}
