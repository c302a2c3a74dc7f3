/**
 * The step-by-step report: each step its thread and operation, then only what changed in the
 * state (through the presentation's `view` when it has one, see changes.ts); the initial state in
 * full; the property named at the end with the sentence that says why it fails.
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
import { initialFacts, stepChanges } from './changes.ts';
import { headline, markOf, summaryLine, threadAndAction, threadOrActor, type TraceContext } from './verdict.ts';

/**
 * Changes sit to the right of their step's label when every label is at most this long (a
 * table); else each step's changes go on the lines below it (a list), so that long kernel-style
 * labels do not push every change far to the right.
 */
const MAX_LABEL = 44;
/** Lines of the initial state wrap at this width. */
const WIDTH = 100;

export function renderText<S, A>(
  model: Model<S, A>,
  result: PropertyResult<S, A>,
  trace: Trace<S, A>,
  ctx: TraceContext,
): string {
  const mark = markOf(model, result, trace);
  const gutter = String(trace.steps.length - 1).length;
  const labels = trace.steps.map((s) =>
    s.action === null ? 'initial' : threadAndAction(model, s.action, threadOrActor(model, s.action)),
  );
  const longest = Math.max(...labels.map((l) => l.length));
  const table = longest <= MAX_LABEL;
  const indent = ' '.repeat(table ? 1 + gutter + 2 + longest + 2 : 1 + gutter + 4);

  const lines = [headline(result, ctx), summaryLine(trace, ctx), ''];
  trace.steps.forEach((s, i) => {
    const facts =
      i === 0
        ? initialFacts(model, s.state, WIDTH - indent.length)
        : stepChanges(model, trace.steps[i - 1].state, s.state);
    if (facts.length === 0) facts.push('(no change)');
    const head = ` ${String(i).padStart(gutter)}  ${labels[i]}`;
    if (table) lines.push(`${head.padEnd(indent.length)}${facts.shift()}`);
    else lines.push(head);
    for (const f of facts) lines.push(`${indent}${f}`);
  });

  const pad = ' '.repeat(1 + gutter + 2);
  if (mark.loopsBackTo !== undefined) lines.push(`${pad}loops back to step ${mark.loopsBackTo}`);
  lines.push(
    mark.label === 'deadlock'
      ? `${pad}deadlock — ${mark.sentence}`
      : `${pad}${mark.label}: ${result.name} — ${mark.sentence}`,
  );
  return lines.join('\n') + '\n';
}
