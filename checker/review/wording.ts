/**
 * What review.md and review.html both say, as plain text before each escapes it its own way:
 * bounds, headings and the anchors the matrix links to, counts, the line above a trace, the
 * legend. One place, so that the two renderings of the same review read alike and link alike.
 */
import type { Cell, Verdict } from './cells.ts';
import type { ReviewRun, ReviewTrace, SpecReview } from './data.ts';
import { count, stepsText } from '../counts.ts';

/** A bound's value: a list joined, a nested record (`ops: { fault: 2 }`) as `fault 2, convert 1`. */
function boundValue(v: unknown): string {
  if (Array.isArray(v)) return v.map(boundValue).join(', ');
  if (typeof v === 'object' && v !== null) return Object.entries(v).map(([k, x]) => `${k} ${boundValue(x)}`).join(', ');
  return String(v);
}

export function boundsText(bounds: SpecReview['bounds']): string {
  const entries = Object.entries(bounds);
  if (entries.length === 0) return 'none';
  return entries.map(([k, v]) => `${k} = ${boundValue(v)}`).join('; ');
}

/**
 * A GitHub heading anchor, for the links from the matrix to each trace. review.html uses the
 * same anchors as element ids, so `review.md#x` and `review.html#x` name the same section.
 */
export function anchor(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
}

export function traceHeading(spec: SpecReview, run: ReviewRun, property: string): string {
  return `${spec.id} / ${run.design}: ${property}`;
}

/** The anchor of a cell's trace, or null when the cell has none (holds, unsatisfied). */
export function cellTraceAnchor(spec: SpecReview, run: ReviewRun, cell: Cell): string | null {
  return run.traces.some((t) => t.property === cell.property) ? anchor(traceHeading(spec, run, cell.property)) : null;
}

/** The states column: `16,404`, or `200 (incomplete)` for a run stopped by a limit. */
export function statesText(run: ReviewRun): string {
  return `${count(run.distinctStates)}${run.complete ? '' : ' (incomplete)'}`;
}

/** A spec's cells counted by verdict, for the overview. */
export function verdictCounts(spec: SpecReview): Record<Verdict, number> {
  const cells = spec.runs.flatMap((r) => r.cells);
  const n = (v: Verdict) => cells.filter((c) => c.verdict === v).length;
  return { 'as expected': n('as expected'), differs: n('differs'), inconclusive: n('inconclusive') };
}

/** The sentence on actions that never fired, or null when every action fired. */
export function neverFiredText(spec: SpecReview): string | null {
  const idle = spec.runs.filter((r) => r.neverFired.length > 0);
  if (idle.length === 0) return null;
  return `Actions never fired (part of the model these bounds do not reach): ${idle.map((r) => `${r.design}: ${r.neverFired.join(', ')}`).join('; ')}.`;
}

/** `violated (counterexample, 6 steps, shortest)` or `satisfied (witness, 3 steps, shortest)`. */
export function traceOutcomeText(trace: ReviewTrace): string {
  return `${trace.status} (${trace.status === 'violated' ? 'counterexample' : 'witness'}, ${stepsText(trace.steps)}, shortest)`;
}

/** The legend above the overview; `code` marks an outcome as each format marks code. */
export function legendText(code: (outcome: string) => string): string {
  return `Each cell is the outcome of one design on one property: ${code('holds')}, ${code('violated (N steps)')}, ${code('satisfied')} (a witness exists) or ${code('unsatisfied')}. ` +
    'A cell marked ✗ differs from the spec\'s expectation; one marked ? comes from a run stopped by a limit.';
}

export const runTimeText = (elapsedMs: number, version: string) => `Run time: ${(elapsedMs / 1000).toFixed(1)} s (gmemcheck ${version}).`;

/** The line above a spec's property table (after its matrix): a bold title, then what it says; the table's columns. */
export const propertiesTitle = 'Properties';
export const propertiesIntro = 'why each matters, and the code that enforces it.';
export const propertyColumns = ['property', 'why it matters', 'enforced by'] as const;

/**
 * The rows of the spec's property table, in the matrix's column order: name, why, where (empty
 * where the model says nothing). None when the model documents no property: no table.
 */
export function propertyRows(spec: SpecReview): [name: string, why: string, where: string][] {
  const docs = spec.propertyDocs;
  if (!docs) return [];
  return spec.properties.filter((name) => docs[name]).map((name) => [name, docs[name].why ?? '', docs[name].where ?? '']);
}

/** Where a design breaks a property: the spec, the trace's length and anchor. */
export interface Break {
  readonly property: string;
  readonly spec: string;
  readonly steps: number | null;
  readonly anchor: string | null;
}

/** One design over every spec that checks it (the review's "designs side by side"). */
export interface DesignSummary {
  readonly design: string;
  readonly specs: number;
  /** Each property violated, once per spec that shows it, in the review's order. */
  readonly breaks: readonly Break[];
  /** The properties (witnesses aside) it keeps in every spec that checks them, counted once. */
  readonly keeps: number;
}

/**
 * Every design, those checked by the most specs first (the named designs under debate, then
 * the one-bug variants), each with what it breaks where and how many properties it keeps:
 * the answer to "which invariant does each design keep or break" in one table.
 */
export function designSummaries(specs: readonly SpecReview[]): DesignSummary[] {
  const order: string[] = [];
  const byDesign = new Map<string, { specs: number; breaks: Break[]; held: Set<string>; broken: Set<string> }>();
  for (const spec of specs) {
    for (const run of spec.runs) {
      if (!byDesign.has(run.design)) {
        order.push(run.design);
        byDesign.set(run.design, { specs: 0, breaks: [], held: new Set(), broken: new Set() });
      }
      const d = byDesign.get(run.design)!;
      d.specs++;
      for (const c of run.cells) {
        if (c.kind === 'sometimes') continue;
        if (c.status === 'violated') {
          d.broken.add(c.property);
          d.breaks.push({ property: c.property, spec: spec.id, steps: c.steps, anchor: cellTraceAnchor(spec, run, c) });
        } else if (c.status === 'holds') d.held.add(c.property);
      }
    }
  }
  return order
    .map((design) => {
      const d = byDesign.get(design)!;
      return { design, specs: d.specs, breaks: d.breaks, keeps: [...d.held].filter((p) => !d.broken.has(p)).length };
    })
    .sort((a, b) => b.specs - a.specs);
}

/** `no-stale-mapping-during-invalidation (private-mapping-after-conversion, 5 steps)`: a break, anchor aside. */
export function breakText(b: Break): string {
  return `${b.property} (${b.spec}${b.steps === null ? '' : `, ${stepsText(b.steps)}`})`;
}

export const designsTitle = 'Designs side by side';
export const designsIntro = 'Each design over every spec that checks it: the properties it breaks, in which spec and in how many steps, and how many it keeps everywhere (witnesses aside).';
