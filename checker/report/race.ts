/**
 * The race diagram of kernel changelogs: one column per thread, time going down, the step that
 * breaks the property marked `<==`. Steps are numbered in a gutter on the left, the same
 * numbers as the text report, replay errors and `loops back to step N`.
 *
 *   gmemcheck: mutual-exclusion violated (model: naive_mutex)
 *   4 steps.
 *
 *        P0                    P1
 *        ------------------    ------------------
 *     1  read flag[1] == 0
 *     2                        read flag[0] == 0
 *     3  flag[0] = 1; enter
 *     4                        flag[1] = 1; enter   <== violated: ...
 *
 * Columns come from the model's `threadOf`, else `actorOf`, else there is one column named
 * after the model; they are ordered by each thread's first step.
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import { actionText, headline, markOf, summaryLine, threadOf, type TraceContext } from './verdict.ts';

const GAP = '    ';

export function renderRace<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, trace: Trace<S, A>, ctx: TraceContext): string {
  const mark = markOf(model, result, trace);
  const columns: string[] = [];
  const rows: { step: number; column: number; text: string }[] = [];
  trace.steps.forEach((s, step) => {
    if (s.action === null) return;
    const thread = threadOf(model, s.action);
    if (!columns.includes(thread)) columns.push(thread);
    rows.push({ step, column: columns.indexOf(thread), text: actionText(model, s.action, thread) });
  });
  if (rows.length === 0) {
    // The initial state itself breaks the property: there is no step to draw.
    columns.push(model.name);
    rows.push({ step: 0, column: 0, text: '(initial state)' });
  }

  const widths = columns.map((c, i) => Math.max(c.length, ...rows.filter((r) => r.column === i).map((r) => r.text.length)));
  const gutter = ' '.repeat(String(trace.steps.length - 1).length + 4);
  const line = (cells: string[]) => (gutter + cells.map((c, i) => c.padEnd(widths[i])).join(GAP)).trimEnd();

  const out = [headline(result, ctx), summaryLine(trace, ctx), ''];
  out.push(line(columns), line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) {
    // The marked row ends with its own cell: the marker follows the text, the columns to its
    // right being empty on that row.
    const marked = r.step === mark.step;
    const cells = columns.slice(0, marked ? r.column + 1 : columns.length).map((_, i) => (i === r.column ? r.text : ''));
    const body = cells.map((c, i) => (marked && i === r.column ? c : c.padEnd(widths[i]))).join(GAP);
    const row = ` ${String(r.step).padStart(gutter.length - 3)}  ${body}${marked ? `   <== ${mark.label}: ${mark.explained || mark.label === 'deadlock' ? mark.sentence : result.name}` : ''}`;
    out.push(row.trimEnd());
  }
  if (mark.loopsBackTo !== undefined) out.push(`${gutter}(the last state loops back to step ${mark.loopsBackTo}, forever)`);
  return out.join('\n') + '\n';
}
