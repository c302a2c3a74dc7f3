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
 *
 * An action formatted `<operation>: <step>` (`vm0 vCPU fault gfn 0x1: kvm_gmem_get_pfn(0x1)`)
 * whose operation runs several steps in a row on its thread has the operation written once,
 * in the column's heading (`CPU0: vm0 vCPU fault gfn 0x1`), or, when the thread starts another
 * operation later, in a line of its own above that operation's first step; the cells hold the
 * steps.
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import {
  actionText, hasOperations, headline, markOf, splitOperation, summaryLine, threadOf, type TraceContext,
} from './verdict.ts';

const GAP = '    ';

interface Cell {
  /** The step number; null for a line that names the operation the thread starts. */
  step: number | null;
  column: number;
  text: string;
}

export function renderRace<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, trace: Trace<S, A>, ctx: TraceContext): string {
  const mark = markOf(model, result, trace);
  const threads: string[] = [];
  const steps: { step: number; column: number; text: string }[] = [];
  trace.steps.forEach((s, step) => {
    if (s.action === null) return;
    const thread = threadOf(model, s.action);
    if (!threads.includes(thread)) threads.push(thread);
    steps.push({ step, column: threads.indexOf(thread), text: actionText(model, s.action, thread) });
  });
  if (steps.length === 0) {
    // The initial state itself breaks the property: there is no step to draw.
    threads.push(model.name);
    steps.push({ step: 0, column: 0, text: '(initial state)' });
  }

  const { headings, cells } = hoistOperations(steps, threads);
  const widths = headings.map((h, i) => Math.max(h.length, ...cells.filter((c) => c.column === i).map((c) => c.text.length)));
  const gutter = String(trace.steps.length - 1).length + 4;
  const line = (texts: string[]) => (' '.repeat(gutter) + texts.map((t, i) => t.padEnd(widths[i])).join(GAP)).trimEnd();

  const out = [headline(result, ctx), summaryLine(trace, ctx), ''];
  out.push(line(headings), line(widths.map((w) => '-'.repeat(w))));
  for (const c of cells) {
    // The marked row ends with its own cell: the marker follows the text, the columns to its
    // right being empty on that row.
    const marked = c.step === mark.step;
    const texts = headings.slice(0, marked ? c.column + 1 : headings.length).map((_, i) => (i === c.column ? c.text : ''));
    const body = texts.map((t, i) => (marked && i === c.column ? t : t.padEnd(widths[i]))).join(GAP);
    const number = c.step === null ? '' : String(c.step);
    const why = mark.explained || mark.label === 'deadlock' ? mark.sentence : result.name;
    out.push(` ${number.padStart(gutter - 3)}  ${body}${marked ? `   <== ${mark.label}: ${why}` : ''}`.trimEnd());
  }
  if (mark.loopsBackTo !== undefined) out.push(`${' '.repeat(gutter)}(the last state loops back to step ${mark.loopsBackTo}, forever)`);
  return out.join('\n') + '\n';
}

/**
 * Writes each column's operations once (see the module comment): the first in the column's
 * heading, each later one in a line of its own. Actions not of the `<operation>: <step>` form
 * (see `hasOperations`) are left as they are.
 */
function hoistOperations(steps: { step: number; column: number; text: string }[], threads: readonly string[]): { headings: string[]; cells: Cell[] } {
  const headings = [...threads];
  if (!hasOperations(steps.map((s) => ({ thread: threads[s.column], text: s.text })))) return { headings, cells: steps };
  const current: (string | undefined)[] = headings.map(() => undefined);
  const cells: Cell[] = [];
  for (const s of steps) {
    const [op, rest] = splitOperation(s.text);
    if (op === undefined) {
      cells.push(s);
      continue;
    }
    if (op !== current[s.column]) {
      if (current[s.column] === undefined && !cells.some((c) => c.column === s.column)) {
        headings[s.column] = `${headings[s.column]}: ${op}`;
      } else {
        cells.push({ step: null, column: s.column, text: `${op}:` });
      }
      current[s.column] = op;
    }
    cells.push({ step: s.step, column: s.column, text: rest });
  }
  return { headings, cells };
}
