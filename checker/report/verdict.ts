/**
 * What every rendering of a trace says the same way: which step is marked and why, the
 * heading, who took each step, and how an action reads.
 */
import { formatActionOf } from '../format.ts';
import { stepsText } from '../counts.ts';
import type { Model, PropertyResult, Trace } from '../model.ts';
import { formatValue } from './value.ts';
import { wrapPieces } from './wrap.ts';
import { toolVersion } from '../version.ts';

export interface TraceContext {
  /** The model's name. */
  model: string;
  /** The spec id (file name without .spec.ts), so that replay can rebuild the model. */
  spec?: string;
  /** The design's name. */
  design?: string;
  bounds?: Record<string, unknown>;
  /** Default: this package's version (`TOOL_VERSION`). */
  toolVersion?: string;
}

/** package.json's version (checker/version.ts reads it). */
export const TOOL_VERSION = toolVersion;

export type MarkLabel = 'violated' | 'witness' | 'deadlock';

export interface Mark {
  /** The step that breaks the property (or reaches the witness): an index into `trace.steps`. */
  step: number;
  label: MarkLabel;
  /** Why, in one sentence: the presentation's `explain`, else a generic one that follows the property's name. */
  sentence: string;
  /** Whether the sentence is the model's own (it then reads on its own, without the property's name). */
  explained: boolean;
  /** For a lasso: the step the last state loops back to. */
  loopsBackTo?: number;
}

/**
 * The marked step. Every trace the checker returns ends where the property broke: an
 * `always` at the state that falsifies it, a `step` on the last transition, a `sometimes` at
 * its witness, an `eventually` at the end of the path that never reached it (a terminal state,
 * or a lasso whose loop is `loopsBackTo`), a deadlock at the state with no successor.
 */
export function markOf<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, trace: Trace<S, A>): Mark {
  const step = trace.steps.length - 1;
  const last = trace.steps[step];
  const prev = step > 0 ? trace.steps[step - 1].state : undefined;
  const action = last.action ?? undefined;
  const label: MarkLabel =
    result.kind === 'deadlock' ? 'deadlock' : result.status === 'satisfied' ? 'witness' : 'violated';
  // `explain` says why a property fails: a witness (a `sometimes` satisfied) does not fail, so
  // it keeps the generic sentence.
  const explained =
    label === 'witness' ? undefined : model.presentation?.explain?.(result.name, last.state, prev, action);
  return {
    step,
    label,
    sentence: explained ?? genericSentence(result, step, trace.loopsBackTo),
    explained: explained !== undefined,
    ...(trace.loopsBackTo !== undefined ? { loopsBackTo: trace.loopsBackTo } : {}),
  };
}

function genericSentence<S, A>(result: PropertyResult<S, A>, step: number, loopsBackTo?: number): string {
  switch (result.kind) {
    case 'always':
      return `false in the state after step ${step}`;
    case 'step':
      return `false on the transition of step ${step}`;
    case 'sometimes':
      return `holds in the state after step ${step}`;
    case 'eventually':
      return loopsBackTo !== undefined
        ? `never holds on this path, which loops back to step ${loopsBackTo} forever`
        : `never holds on this path, which ends at step ${step} with nothing left to do`;
    case 'deadlock':
      return `no action is enabled after step ${step}, and the model does not call that state terminal`;
  }
}

/** `gmemcheck: mutual-exclusion violated (model: naive_mutex, design: upstream)`. */
export function headline<S, A>(result: PropertyResult<S, A>, ctx: TraceContext): string {
  const { verdict, where } = headlineParts(result, ctx);
  return `gmemcheck: ${verdict} (${where.join(', ')})`;
}

function headlineParts<S, A>(result: PropertyResult<S, A>, ctx: TraceContext): { verdict: string; where: string[] } {
  const where = [
    `model: ${ctx.model}`,
    ctx.spec ? `spec: ${ctx.spec}` : '',
    ctx.design ? `design: ${ctx.design}` : '',
  ].filter(Boolean);
  const verdict =
    result.kind === 'deadlock' && result.status === 'violated' ? 'deadlock found' : `${result.name} ${result.status}`;
  return { verdict, where };
}

/** The headline in lines of at most `width`: broken between its parts, the later lines indented. */
export function headlineLines<S, A>(result: PropertyResult<S, A>, ctx: TraceContext, width: number): string[] {
  const one = headline(result, ctx);
  if (one.length <= width) return [one];
  const { verdict, where } = headlineParts(result, ctx);
  return wrapPieces(
    [`gmemcheck: ${verdict}`, ...where.map((w, i) => `${i === 0 ? '(' : ''}${w}${i === where.length - 1 ? ')' : ','}`)],
    width,
    '  ',
  );
}

/** `4 steps. Bounds: pages=2, vms=1.` */
export function summaryLine<S, A>(trace: Trace<S, A>, ctx: TraceContext): string {
  return summaryPieces(trace, ctx).join(' ');
}

/** The summary line in lines of at most `width`, broken between bounds. */
export function summaryLines<S, A>(trace: Trace<S, A>, ctx: TraceContext, width: number): string[] {
  return wrapPieces(summaryPieces(trace, ctx), width, '  ');
}

function summaryPieces<S, A>(trace: Trace<S, A>, ctx: TraceContext): string[] {
  const n = trace.steps.length - 1;
  const pieces = [`${stepsText(n)}.`];
  const bounds = Object.entries(ctx.bounds ?? {});
  bounds.forEach(([k, v], i) =>
    pieces.push(`${i === 0 ? 'Bounds: ' : ''}${k}=${formatValue(v)}${i === bounds.length - 1 ? '.' : ','}`),
  );
  return pieces;
}

/** The line for a result that has no trace (holds, unsatisfied). */
export function noTraceLine<S, A>(result: PropertyResult<S, A>, ctx: TraceContext): string {
  if (result.kind === 'deadlock' && result.status === 'holds') {
    return (
      headline(result, ctx).replace('deadlock holds', 'no deadlock') +
      ': every reachable state has a successor or is terminal'
    );
  }
  const why =
    result.status === 'holds'
      ? 'no reachable state or transition falsifies it'
      : result.status === 'unsatisfied'
        ? 'no reachable state satisfies it'
        : 'the result carries no trace';
  return `${headline(result, ctx)}: ${why}`;
}

/**
 * The column of a step's action: the model's thread, else its actor, else one column named
 * after the model.
 */
export function threadOf<S, A>(model: Model<S, A>, action: A): string {
  return threadOrActor(model, action) ?? model.name;
}

/** The model's thread of an action, else its actor: who a step's label names, if anyone. */
export function threadOrActor<S, A>(model: Model<S, A>, action: A): string | undefined {
  const p = model.presentation;
  return p?.threadOf?.(action) ?? p?.actorOf?.(action);
}

/** The participant of a step in a sequence diagram: the actor, else the thread, else the model. */
export function actorOf<S, A>(model: Model<S, A>, action: A): string {
  const p = model.presentation;
  return p?.actorOf?.(action) ?? p?.threadOf?.(action) ?? model.name;
}

/**
 * How an action reads under its thread's name: the presentation's `formatAction` (see format.ts),
 * without the thread's name where the formatted action begins with it and goes on
 * (`CPU0: kvm_gmem_get_pfn` under `CPU0` reads `kvm_gmem_get_pfn`; `P0` under `P0` stays).
 */
export function actionText<S, A>(model: Model<S, A>, action: A, thread?: string): string {
  const text = formatActionOf(model, action);
  if (thread && text.startsWith(thread)) {
    const m = /^[:\s]\s*(?=\S)/.exec(text.slice(thread.length));
    if (m) return text.slice(thread.length + m[0].length);
  }
  return text;
}

/** The thread's name and the action, once: `CPU0 kvm_gmem_get_pfn`, or `P0` where that is all. */
export function threadAndAction<S, A>(model: Model<S, A>, action: A, thread: string | undefined): string {
  const text = actionText(model, action, thread);
  return thread === undefined || text === thread ? text : `${thread} ${text}`;
}

/**
 * An action as a report lays it out under its thread: its whole text, and the operation and
 * step the presentation's `stepOf` names (without it, the step is the whole text).
 */
export interface ActionParts {
  readonly text: string;
  readonly operation?: string;
  readonly step: string;
}

export function actionParts<S, A>(model: Model<S, A>, action: A, thread?: string): ActionParts {
  const text = actionText(model, action, thread);
  const parts = model.presentation?.stepOf?.(action);
  return parts ? { text, operation: parts.operation, step: parts.step } : { text, step: text };
}

/**
 * Whether some thread runs two steps of one operation in a row. Reports then name each
 * operation once, where the thread starts it, and write the steps alone.
 */
export function hasOperations(steps: readonly { thread: string; operation?: string }[]): boolean {
  const last = new Map<string, string | undefined>();
  return steps.some(({ thread, operation }) => {
    const repeats = operation !== undefined && last.get(thread) === operation;
    last.set(thread, operation);
    return repeats;
  });
}
