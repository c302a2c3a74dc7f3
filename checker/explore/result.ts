/** The figures and verdicts every strategy (check, checkParallel, simulate) reports, built one way. */
import {
  NO_DEADLOCK,
  type CheckResult,
  type Model,
  type PropertyResult,
  type StopReason,
  type Trace,
} from '../model.ts';

/**
 * Every property's verdict before any state is seen, in the model's order (`sometimes`:
 * unsatisfied, the others: holds); then `no-deadlock` when the deadlock check is on.
 */
export function initialResults<S, A>(model: Model<S, A>, deadlock: boolean | undefined): PropertyResult<S, A>[] {
  const results: PropertyResult<S, A>[] = model.properties.map((p) => ({
    name: p.name,
    kind: p.kind,
    status: p.kind === 'sometimes' ? 'unsatisfied' : 'holds',
  }));
  if (deadlock) results.push({ name: NO_DEADLOCK, kind: 'deadlock', status: 'holds' });
  return results;
}

/** A property decided by `trace`: a witness satisfies a `sometimes`, any other is violated. The first trace stays. */
export function decide<S, A>(result: PropertyResult<S, A>, trace: Trace<S, A>): void {
  if (result.trace) return;
  result.status = result.kind === 'sometimes' ? 'satisfied' : 'violated';
  result.trace = trace;
}

export interface RunFigures<S, A> {
  started: number;
  distinct: number;
  transitions: number;
  initialStates: number;
  depth: number;
  stoppedBy?: StopReason;
  properties: PropertyResult<S, A>[];
  coverage: Record<string, number>;
  neverFired: string[];
  storedBytes: number;
  symmetryReduced: boolean;
}

export function finishResult<S, A>(f: RunFigures<S, A>): CheckResult<S, A> {
  const elapsedMs = performance.now() - f.started;
  const complete = f.stoppedBy === undefined;
  const violated = f.properties.some((p) => p.status === 'violated');
  const unsatisfied = f.properties.some((p) => p.status === 'unsatisfied');
  const generated = f.transitions + f.initialStates;
  return {
    status: violated ? 'fail' : !complete ? 'incomplete' : unsatisfied ? 'fail' : 'pass',
    distinctStates: f.distinct,
    transitions: f.transitions,
    depth: f.depth,
    complete,
    ...(f.stoppedBy ? { stoppedBy: f.stoppedBy } : {}),
    elapsedMs,
    properties: f.properties,
    coverage: f.coverage,
    neverFired: f.neverFired,
    // TLC's "optimistic" estimate: each of the (generated - distinct) revisits could have
    // matched the wrong one of `distinct` fingerprints out of 2^64.
    collisionProbability: (f.distinct * Math.max(0, generated - f.distinct)) / 2 ** 64,
    bytesPerState: f.distinct > 0 ? f.storedBytes / f.distinct : 0,
    statesPerSecond: elapsedMs > 0 ? (f.distinct * 1000) / elapsedMs : 0,
    symmetryReduced: f.symmetryReduced,
  };
}

/** Coverage merged from several counters (workers): counts add; "never fired" is never anywhere. */
export function mergeCoverage(parts: { fired: Record<string, number>; neverFired: string[] }[]) {
  const fired: Record<string, number> = {};
  const tried = new Set<string>();
  for (const p of parts) {
    for (const [name, n] of Object.entries(p.fired)) fired[name] = (fired[name] ?? 0) + n;
    p.neverFired.forEach((name) => tried.add(name));
  }
  const sorted = Object.fromEntries(Object.entries(fired).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { fired: sorted, neverFired: [...tried].filter((n) => !(n in fired)).sort() };
}
