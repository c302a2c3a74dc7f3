/**
 * One cell of the review matrix: a design's outcome on one property, compared with what the
 * spec expects. Shared by `check` (one line per property) and `review` (the matrix).
 */
import type { CheckResult, PropertyKind, PropertyStatus, StopReason } from '../model.ts';
import type { Expectation, Spec } from '../spec.ts';
import { stepsText } from '../counts.ts';

/**
 * `inconclusive`: the run stopped before covering the bounded space, and the outcome is one that
 * only a complete run can give (holds, unsatisfied); a violation or a witness found is final.
 */
export type Verdict = 'as expected' | 'differs' | 'inconclusive';

export interface Cell {
  readonly property: string;
  readonly kind: PropertyKind | 'deadlock';
  readonly status: PropertyStatus;
  /** Transitions in the trace, for violated and satisfied. */
  readonly steps: number | null;
  readonly expected: Expectation;
  readonly verdict: Verdict;
  /** How the cell reads: `holds`, `violated (6 steps)`, `✗ violated (6 steps; expected holds)`. */
  readonly text: string;
}

export const stopReasonText: Record<StopReason, string> = {
  maxStates: 'max-states limit',
  timeLimit: 'time limit',
  heapLimit: 'heap limit',
  violation: 'first violation',
};

const stopText = (reason: StopReason | undefined) => (reason ? stopReasonText[reason] : 'a limit');

/** How a run ended, as the reader of a report wants it: `complete` or `stopped by the time limit`. */
export function coverageText(result: Pick<CheckResult<unknown, unknown>, 'complete' | 'stoppedBy'>): string {
  if (result.complete) return 'complete';
  return `stopped by the ${stopText(result.stoppedBy)} before covering the bounded space`;
}

export function outcomeText(status: PropertyStatus, steps: number | null): string {
  return status === 'violated' && steps !== null ? `violated (${stepsText(steps)})` : status;
}

export function cellOf(spec: Spec, design: string, result: CheckResult<unknown, unknown>, property: string): Cell {
  const found = result.properties.find((p) => p.name === property);
  // The CLI checks every spec property against the model before running, so a miss is a bug.
  if (!found) throw new Error(`the result has no property "${property}" (known: ${result.properties.map((p) => p.name).join(', ')})`);
  const steps = found.trace ? found.trace.steps.length - 1 : null;
  const expected = spec.expected[design][property];
  const final = found.status === 'violated' || found.status === 'satisfied' || result.complete;
  const verdict: Verdict = !final ? 'inconclusive' : found.status === expected ? 'as expected' : 'differs';
  const outcome = outcomeText(found.status, steps);
  const text =
    verdict === 'as expected' ? outcome
    : verdict === 'differs' ? `✗ ${found.status} (${found.status === 'violated' && steps !== null ? `${stepsText(steps)}; ` : ''}expected ${expected})`
    : `? ${outcome} so far (${stopText(result.stoppedBy)})`;
  return { property, kind: found.kind, status: found.status, steps, expected, verdict, text };
}

export function cellsOf(spec: Spec, design: string, result: CheckResult<unknown, unknown>): Cell[] {
  return spec.properties.map((property) => cellOf(spec, design, result, property));
}
