/**
 * The Informal Trace Format (ITF, ADR-015 of Apalache), which Quint and Apalache read:
 *
 *   { "#meta": { "format": "ITF", ..., gmemcheck's own fields },
 *     "vars": ["action", "flags", "pc"],
 *     "states": [ { "#meta": { "index": 0 }, "action": null-as-ITF, "flags": [...], ... }, ... ],
 *     "loop": 3 }                                   // a lasso only
 *
 * One ITF state per step. The action that led to a step is the variable `action` (steps[0]'s is
 * `{"#unserializable": "null"}`); the state's top-level fields are the other variables when the
 * state is a record, else the whole state is the variable `state`. A field missing from a state
 * is written `{"#unserializable": "undefined"}`. The state's `#meta` also says how the step
 * reads (`text`) and its thread, for a person reading the file.
 *
 * gmemcheck's `#meta` fields (model, spec, design, property, bounds, ...) make the file
 * replayable; a trace from another tool lacks them and is refused with that reason. Every
 * `#meta` field beyond ADR-015's own is a string (the bounds as JSON text, the marked step in
 * decimal), and a state's `#meta` is its `index` and strings: itf-rs, the Rust reader of ITF,
 * reads the rest of `#meta` as a map of strings and refuses anything else.
 */
import type { Model, PropertyResult } from '../model.ts';
import { decode, encode } from './codec.ts';
import { prettyJson } from './pretty.ts';
import { isPlainObject } from './value.ts';
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
import { actionText, headline, markOf, threadOrActor, TOOL_VERSION, type TraceContext } from './verdict.ts';

const ADR = 'https://apalache-mc.org/docs/adr/015adr-trace.html';
const ACTION = 'action';
const WHOLE_STATE = 'state';

/** How states map onto ITF variables: their fields, or one variable holding the whole state. */
type Layout = { kind: 'fields'; fields: string[] } | { kind: 'whole' };

function layoutOf(states: readonly unknown[]): Layout {
  const fields: string[] = [];
  for (const s of states) {
    if (!isPlainObject(s)) return { kind: 'whole' };
    for (const k of Object.keys(s)) {
      if (k === ACTION || k.startsWith('#')) return { kind: 'whole' };
      if (!fields.includes(k)) fields.push(k);
    }
  }
  return fields.length > 0 ? { kind: 'fields', fields } : { kind: 'whole' };
}

export function renderItf<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, ctx: TraceContext): string {
  const steps = result.trace?.steps ?? [];
  const mark = result.trace && steps.length > 0 ? markOf(model, result, result.trace) : undefined;
  const layout = layoutOf(steps.map((s) => s.state));
  const vars = [ACTION, ...(layout.kind === 'fields' ? layout.fields : [WHOLE_STATE])];
  const doc = {
    '#meta': {
      format: 'ITF',
      'format-description': ADR,
      source: ctx.spec ? `${ctx.spec}.spec.ts` : ctx.model,
      description: `Written by gmemcheck ${ctx.toolVersion ?? TOOL_VERSION}: ${headline(result, ctx).replace(/^gmemcheck: /, '')}`,
      ...provenance(ctx, undefined, 'json-text'),
      property: result.name,
      propertyKind: result.kind,
      status: result.status,
      ...(mark ? { markedStep: String(mark.step), explanation: mark.sentence } : {}),
      stateVariables: layout.kind,
    },
    vars,
    states: steps.map((s, i) => {
      const thread = s.action === null ? undefined : threadOrActor(model, s.action);
      const text = s.action === null ? 'initial' : actionText(model, s.action, thread);
      const out: Record<string, unknown> = {
        '#meta': { index: i, text, ...(thread !== undefined ? { thread } : {}) },
        [ACTION]: encode(s.action, undefined, `states[${i}].action`),
      };
      if (layout.kind === 'whole') out[WHOLE_STATE] = encode(s.state, undefined, `states[${i}].state`);
      else
        for (const f of layout.fields)
          out[f] = encode((s.state as Record<string, unknown>)[f], undefined, `states[${i}].${f}`);
      return out;
    }),
    ...(result.trace?.loopsBackTo !== undefined ? { loop: result.trace.loopsBackTo } : {}),
  };
  return prettyJson(doc);
}

/** An ITF document's states, decoded to plain data (any ITF, gmemcheck's or another tool's). */
export function decodeItfStates(
  doc: Record<string, unknown>,
  fileName?: string,
): { actions: unknown[]; states: unknown[] } {
  const vars = doc.vars;
  const states = doc.states;
  if (!Array.isArray(vars) || !vars.every((v) => typeof v === 'string'))
    throw fileError(fileName, 'ITF "vars" must be an array of variable names');
  if (!Array.isArray(states)) throw fileError(fileName, 'ITF "states" must be an array of states');
  const meta = isRecord(doc['#meta']) ? doc['#meta'] : {};
  const whole = meta.stateVariables === 'whole';
  const actions: unknown[] = [];
  const decoded = states.map((s, i) => {
    if (!isRecord(s)) throw fileError(fileName, `states[${i}] must be a record of the variables' values`);
    const m = s['#meta'];
    if (isRecord(m) && m.index !== undefined && m.index !== i) {
      throw fileError(
        fileName,
        `states[${i}] has #meta.index ${JSON.stringify(m.index)}; the states are out of order or some are missing`,
      );
    }
    return decoding(fileName, () => {
      if (i > 0) {
        if (!(ACTION in s))
          throw fileError(fileName, `states[${i}] has no "action" variable; replay needs the action of every step`);
        actions.push(decode(s[ACTION], `states[${i}].action`));
      }
      if (whole) {
        if (!(WHOLE_STATE in s)) throw fileError(fileName, `states[${i}] has no "state" variable`);
        return decode(s[WHOLE_STATE], `states[${i}].state`);
      }
      const state: Record<string, unknown> = {};
      for (const v of vars as string[]) {
        if (v === ACTION) continue;
        if (!(v in s)) throw fileError(fileName, `states[${i}] has no value for variable "${v}"`);
        const x = decode(s[v], `states[${i}].${v}`);
        if (x !== undefined) state[v] = x;
      }
      return state;
    });
  });
  return { actions, states: decoded };
}

/** Reads an ITF document written by `renderItf` (already parsed from JSON). */
export function parseItfTrace(doc: Record<string, unknown>, fileName?: string): SavedTrace {
  const meta = doc['#meta'];
  if (!isRecord(meta) || meta.tool !== 'gmemcheck') {
    throw fileError(
      fileName,
      'this ITF trace was not written by gmemcheck (its #meta names no model nor property); replay needs gmemcheck check --format itf',
    );
  }
  const { actions, states } = decodeItfStates(doc, fileName);
  if (states.length === 0) {
    throw fileError(
      fileName,
      `carries no trace (${String(meta.property)} ${String(meta.status)}); only a violated or satisfied property has one to replay`,
    );
  }
  const bounds =
    meta.bounds === undefined
      ? undefined
      : decoding(fileName, () => decode(jsonText(meta.bounds, fileName), '#meta.bounds'));
  if (bounds !== undefined && !isRecord(bounds))
    throw fileError(fileName, '#meta.bounds must be a record of name: value');
  return {
    format: 'itf',
    model: requireString(meta, 'model', '#meta', fileName),
    ...optionalFields({
      spec: optionalString(meta, 'spec', '#meta', fileName),
      design: optionalString(meta, 'design', '#meta', fileName),
      status: optionalString(meta, 'status', '#meta', fileName),
      toolVersion: optionalString(meta, 'toolVersion', '#meta', fileName),
      bounds,
      loopsBackTo: optionalStep(doc.loop, states.length, 'loop', fileName),
    }),
    property: requireString(meta, 'property', '#meta', fileName),
    propertyKind: requireString(meta, 'propertyKind', '#meta', fileName),
    initial: states[0],
    actions,
    states,
  };
}

/** `#meta.bounds` is JSON text (itf-rs reads `#meta` as strings). */
function jsonText(v: unknown, fileName?: string): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw fileError(fileName, '#meta.bounds is not JSON text; write the trace again with gmemcheck --format itf');
  }
}
