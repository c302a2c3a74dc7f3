/**
 * The whole trace as gmemcheck's own JSON: the property and its verdict, the model, spec and
 * design names, the bounds, the tool's version, and every step (its thread, how it reads, the
 * action and the state as data), so that `replaySaved` can re-run it.
 *
 * Values are JSON where JSON can hold them; Maps, Sets, bigints and the numbers JSON cannot
 * write use the ITF tags (`#map`, `#set`, `#bigint`, `#unserializable`, see codec.ts).
 */
import type { Model, PropertyResult } from '../model.ts';
import { decode, encode, type CodecOptions } from './codec.ts';
import { prettyJson } from './pretty.ts';
import {
  decoding,
  fileError,
  isRecord,
  optionalFields,
  optionalStep,
  optionalString,
  provenance,
  requireString,
  type SavedTrace,
} from './saved.ts';
import { actionText, markOf, threadOrActor, type TraceContext } from './verdict.ts';

export const JSON_FORMAT_ID = 'gmemcheck-trace';
const JSON_FORMAT_VERSION = 1;
const CODEC: CodecOptions = { nullAs: 'json' };

export function renderJson<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, ctx: TraceContext): string {
  const trace = result.trace;
  const mark = trace && trace.steps.length > 0 ? markOf(model, result, trace) : undefined;
  const doc = {
    format: JSON_FORMAT_ID,
    formatVersion: JSON_FORMAT_VERSION,
    ...provenance(ctx, CODEC),
    property: {
      name: result.name,
      kind: result.kind,
      status: result.status,
      ...(mark ? { markedStep: mark.step, explanation: mark.sentence } : {}),
    },
    ...(trace?.loopsBackTo !== undefined ? { loopsBackTo: trace.loopsBackTo } : {}),
    steps: (trace?.steps ?? []).map((s, i) => {
      if (s.action === null)
        return { step: i, text: 'initial', action: null, state: encode(s.state, CODEC, `steps[${i}].state`) };
      const thread = threadOrActor(model, s.action);
      return {
        step: i,
        ...(thread !== undefined ? { thread } : {}),
        text: actionText(model, s.action, thread),
        action: encode(s.action, CODEC, `steps[${i}].action`),
        state: encode(s.state, CODEC, `steps[${i}].state`),
      };
    }),
  };
  return prettyJson(doc);
}

/** Reads a document written by `renderJson` (already parsed from JSON). */
export function parseJsonTrace(doc: Record<string, unknown>, fileName?: string): SavedTrace {
  if (doc.formatVersion !== JSON_FORMAT_VERSION) {
    throw fileError(
      fileName,
      `formatVersion ${JSON.stringify(doc.formatVersion)} is not one this gmemcheck reads (${JSON_FORMAT_VERSION}); write the trace again with this version`,
    );
  }
  const property = doc.property;
  if (!isRecord(property))
    throw fileError(fileName, 'property is missing; write the trace again with gmemcheck --format json');
  const steps = doc.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    throw fileError(
      fileName,
      `carries no trace (${String(property.name)} ${String(property.status)}); only a violated or satisfied property has one to replay`,
    );
  }
  const actions: unknown[] = [];
  const states: unknown[] = [];
  steps.forEach((s, i) => {
    if (!isRecord(s) || !('state' in s) || (i > 0 && !('action' in s))) {
      throw fileError(
        fileName,
        `steps[${i}] must hold ${i > 0 ? 'an action and ' : ''}a state; the file was cut or edited`,
      );
    }
    decoding(fileName, () => {
      if (i > 0) actions.push(decode(s.action, `steps[${i}].action`));
      states.push(decode(s.state, `steps[${i}].state`));
    });
  });
  const bounds = doc.bounds === undefined ? undefined : decoding(fileName, () => decode(doc.bounds, 'bounds'));
  if (bounds !== undefined && !isRecord(bounds)) throw fileError(fileName, 'bounds must be an object of name: value');
  const loopsBackTo = optionalStep(doc.loopsBackTo, states.length, 'loopsBackTo', fileName);
  return {
    format: 'json',
    model: requireString(doc, 'model', 'the trace', fileName),
    ...optionalFields({
      spec: optionalString(doc, 'spec', 'the trace', fileName),
      design: optionalString(doc, 'design', 'the trace', fileName),
      status: optionalString(property, 'status', 'property', fileName),
      toolVersion: optionalString(doc, 'toolVersion', 'the trace', fileName),
      bounds,
      loopsBackTo,
    }),
    property: requireString(property, 'name', 'property', fileName),
    propertyKind: requireString(property, 'kind', 'property', fileName),
    initial: states[0],
    actions,
    states,
  };
}
