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
 * Columns come from the presentation's `threadOf`, else `actorOf`, else there is one column named
 * after the model; they are ordered by each thread's first step. The diagram keeps within 100
 * columns: where the cells would not fit, the widest columns are narrowed and their cells (and
 * headings, and the headline) wrap, between clauses where they can; a step's number stands on
 * its first line.
 *
 * An action the presentation names as a step of an operation (`stepOf`: `kvm_gmem_get_pfn(0x1)`
 * of `vm0 vCPU fault gfn 0x1`) whose operation runs several steps in a row on its thread has
 * the operation written once, in the column's heading (`CPU0: vm0 vCPU fault gfn 0x1`), or,
 * when the thread starts another operation later, in a line of its own above that operation's
 * first step; the cells hold the steps.
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import {
  actionParts,
  hasOperations,
  headlineLines,
  markOf,
  summaryLines,
  threadOf,
  type ActionParts,
  type TraceContext,
} from './verdict.ts';
import { units, wrapText } from './wrap.ts';

const GAP = '    ';
/** The diagram fits in this many columns (a reviewer pastes it into a mail): wider cells wrap. */
const WIDTH = 100;
/** Columns are not narrowed below this to make the diagram fit. */
const MIN_COLUMN = 16;
/** The sentence at the mark flows in its column when that leaves at least this much room. */
const MIN_SENTENCE = 40;
/** The sentence's later lines hang under its first word where that leaves this much room. */
const MIN_HANG = 30;

/** A step of the trace in its thread's column. */
interface RaceStep {
  step: number;
  column: number;
  parts: ActionParts;
}

interface Cell {
  /** The step number; null for a line that names the operation the thread starts. */
  step: number | null;
  column: number;
  text: string;
}

export function renderRace<S, A>(
  model: Model<S, A>,
  result: PropertyResult<S, A>,
  trace: Trace<S, A>,
  ctx: TraceContext,
): string {
  const mark = markOf(model, result, trace);
  const threads: string[] = [];
  const steps: RaceStep[] = [];
  trace.steps.forEach((s, step) => {
    if (s.action === null) return;
    const thread = threadOf(model, s.action);
    if (!threads.includes(thread)) threads.push(thread);
    steps.push({ step, column: threads.indexOf(thread), parts: actionParts(model, s.action, thread) });
  });
  if (steps.length === 0) {
    // The initial state itself breaks the property: there is no step to draw.
    threads.push(model.name);
    steps.push({ step: 0, column: 0, parts: { text: '(initial state)', step: '(initial state)' } });
  }

  const { headings, cells } = hoistOperations(steps, threads);
  const gutter = String(trace.steps.length - 1).length + 4;
  const natural = headings.map((h, i) =>
    Math.max(h.length, ...cells.filter((c) => c.column === i).map((c) => c.text.length)),
  );
  const caps = fitColumns(natural, WIDTH - gutter - GAP.length * (headings.length - 1));
  const wrappedHeadings = headings.map((h, i) => wrapText(h, caps[i]));
  const wrappedCells = cells.map((c) => wrapText(c.text, caps[c.column]));
  // Each column as wide as its widest line once wrapped (at most its cap).
  const widths = caps.map((_, i) =>
    Math.max(
      ...wrappedHeadings[i].map((l) => l.length),
      ...wrappedCells.flatMap((lines, k) => (cells[k].column === i ? lines.map((l) => l.length) : [])),
    ),
  );
  const starts = widths.map((_, i) => gutter + widths.slice(0, i).reduce((n, w) => n + w + GAP.length, 0));
  const row = (number: string, column: number, text: string) => {
    const texts = headings.slice(0, column + 1).map((_, i) => (i === column ? text : ''));
    return ` ${number.padStart(gutter - 3)}  ${texts.map((t, i) => (i === column ? t : t.padEnd(widths[i]))).join(GAP)}`.trimEnd();
  };

  const out = [...headlineLines(result, ctx, WIDTH), ...summaryLines(trace, ctx, WIDTH), ''];
  const headingRows = Math.max(...wrappedHeadings.map((h) => h.length));
  for (let r = 0; r < headingRows; r++) {
    out.push((' '.repeat(gutter) + wrappedHeadings.map((h, i) => (h[r] ?? '').padEnd(widths[i])).join(GAP)).trimEnd());
  }
  out.push(' '.repeat(gutter) + widths.map((w) => '-'.repeat(w)).join(GAP));
  const why = mark.explained || mark.label === 'deadlock' ? mark.sentence : result.name;
  cells.forEach((c, k) => {
    let lines = wrappedCells[k];
    let below: string[] = [];
    if (c.step === mark.step) {
      // The marked row ends with its own cell: the marker follows the text (the columns to its
      // right are empty on that row) and the sentence flows on to the right edge, or, where the
      // column starts too far right for that, goes on the lines below, from the first column.
      const room = WIDTH - starts[c.column];
      if (room >= MIN_SENTENCE) {
        lines = flow(lines, [`<== ${mark.label}:`, ...units(why)], room);
      } else {
        lines = flow(lines, [`<== ${mark.label}:`], room);
        below = wrapText(why, WIDTH - gutter).map((l) => ' '.repeat(gutter) + l);
      }
    }
    lines.forEach((l, j) => out.push(row(j === 0 && c.step !== null ? String(c.step) : '', c.column, l)));
    out.push(...below);
  });
  if (mark.loopsBackTo !== undefined)
    out.push(
      ...wrapText(`(the last state loops back to step ${mark.loopsBackTo}, forever)`, WIDTH - gutter).map(
        (l) => ' '.repeat(gutter) + l,
      ),
    );
  return out.join('\n') + '\n';
}

/**
 * Column widths that fit in `room`: the natural ones where they fit, else the widest columns
 * give up width first, down to MIN_COLUMN (a diagram of many threads may stay wider).
 */
function fitColumns(natural: readonly number[], room: number): number[] {
  let cap = Math.max(...natural);
  const total = (c: number) => natural.reduce((n, w) => n + Math.min(w, c), 0);
  while (cap > MIN_COLUMN && total(cap) > room) cap--;
  return natural.map((w) => Math.min(w, cap));
}

/**
 * `tokens` appended to the last of `lines`, three spaces before the first and one between the
 * others, wrapped at `width` (a token is never broken). Later lines hang under the second token
 * (the sentence after `<== violated:`) where that leaves MIN_HANG columns, else start at the
 * column's left edge.
 */
function flow(lines: readonly string[], tokens: readonly string[], width: number): string[] {
  const out = lines.slice(0, -1);
  let line = lines[lines.length - 1] ?? '';
  const at = line === '' ? 0 : line.length + 3;
  const hang =
    tokens.length > 1 && width - (at + tokens[0].length + 1) >= MIN_HANG ? ' '.repeat(at + tokens[0].length + 1) : '';
  tokens.forEach((token, i) => {
    const sep = line === '' || line === hang ? '' : i === 0 ? '   ' : ' ';
    if (line === '' || line === hang || (line + sep + token).length <= width) {
      line += sep + token;
    } else {
      out.push(line);
      line = hang + token;
    }
  });
  out.push(line);
  return out;
}

/**
 * Writes each column's operations once (see the module comment): the first in the column's
 * heading, each later one in a line of its own. Where no thread runs two steps of one
 * operation in a row (see `hasOperations`), each cell is the action's whole text.
 */
function hoistOperations(
  steps: readonly RaceStep[],
  threads: readonly string[],
): { headings: string[]; cells: Cell[] } {
  const headings = [...threads];
  const whole = (s: RaceStep): Cell => ({ step: s.step, column: s.column, text: s.parts.text });
  if (!hasOperations(steps.map((s) => ({ thread: threads[s.column], operation: s.parts.operation }))))
    return { headings, cells: steps.map(whole) };
  const current: (string | undefined)[] = headings.map(() => undefined);
  const cells: Cell[] = [];
  for (const s of steps) {
    const op = s.parts.operation;
    if (op === undefined) {
      cells.push(whole(s));
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
    cells.push({ step: s.step, column: s.column, text: s.parts.step });
  }
  return { headings, cells };
}
