/**
 * The step-by-step report: each step its thread and operation, then only what changed in the
 * state; the initial state in full; the property named at the end with the sentence that says
 * why it fails.
 *
 *   gmemcheck: mutual-exclusion violated (model: naive_mutex)
 *   4 steps.
 *
 *    0  initial        pc: [idle, idle]
 *    1  P0 check       pc[0]: idle -> checked
 *    ...
 *    4  P1 enter       pc[1]: checked -> critical
 *       violated: mutual-exclusion — P0 and P1 are both in the critical section
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import { diff, formatChange } from './diff.ts';
import { formatValueLines, isPlainObject } from './value.ts';
import { headline, markOf, summaryLine, threadAndAction, type TraceContext } from './verdict.ts';

/** Labels longer than this put their changes on the next line instead of widening the table. */
const MAX_LABEL = 44;
/** The initial state's fields wrap at this width. */
const FACT_WIDTH = 96;

export function renderText<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, trace: Trace<S, A>, ctx: TraceContext): string {
  const mark = markOf(model, result, trace);
  const rows = trace.steps.map((s, i) => {
    if (s.action === null) return { label: 'initial', facts: initialFacts(s.state) };
    const thread = model.threadOf?.(s.action) ?? model.actorOf?.(s.action);
    const changes = diff(trace.steps[i - 1].state, s.state).map(formatChange);
    return { label: threadAndAction(model, s.action, thread), facts: changes.length > 0 ? changes : ['(no change)'] };
  });

  const gutter = String(trace.steps.length - 1).length;
  const width = Math.min(MAX_LABEL, Math.max(...rows.map((r) => r.label.length)));
  const indent = ' '.repeat(1 + gutter + 2 + width + 2);
  const lines = [headline(result, ctx), summaryLine(trace, ctx), ''];
  rows.forEach((r, i) => {
    const head = ` ${String(i).padStart(gutter)}  ${r.label}`;
    const [first, ...rest] = r.facts;
    if (r.label.length <= width) lines.push(`${head.padEnd(indent.length)}${first}`);
    else lines.push(head, `${indent}${first}`);
    for (const f of rest) lines.push(`${indent}${f}`);
  });

  const pad = ' '.repeat(1 + gutter + 2);
  if (mark.loopsBackTo !== undefined) lines.push(`${pad}loops back to step ${mark.loopsBackTo}`);
  lines.push(mark.label === 'deadlock'
    ? `${pad}deadlock — ${mark.sentence}`
    : `${pad}${mark.label}: ${result.name} — ${mark.sentence}`);
  return lines.join('\n') + '\n';
}

/** The initial state in full: each top-level field from its own line (wrapped at FACT_WIDTH), or the whole value. */
function initialFacts(state: unknown): string[] {
  if (!isPlainObject(state)) return formatValueLines(state, FACT_WIDTH);
  const facts = Object.entries(state).filter(([, v]) => v !== undefined).flatMap(([k, v]) => {
    const [first, ...rest] = formatValueLines(v, FACT_WIDTH, k.length + 2);
    return [`${k}: ${first}`, ...rest];
  });
  return facts.length > 0 ? facts : ['{}'];
}
