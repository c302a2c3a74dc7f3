/**
 * Would partial-order reduction pay on the guest_memfd model? A measurement before any
 * implementation, as bench/independence.ts made it on the anchors.
 *
 * The candidate ample set in a state is the step of one running thread (both forms where it may
 * fail a TDX removal), taken alone when, in that state:
 *   - it commutes with every enabled action of every other slot, starts included: both orders
 *     are enabled and reach the same state (fingerprint), so neither disables the other (C1, as
 *     far as the present state can say: the future actions of the other threads are not looked
 *     at, which makes the estimate an upper bound of what an ample set sound over every path
 *     would give);
 *   - it is invisible: every invariant and witness has the same value before and after, and no
 *     step property may change on it (its `canChange`; C2);
 *   - its successor is new (the cycle proviso as breadth-first search can check it, C3).
 * Where no thread passes, the state is expanded in full. Symmetry is off in both searches, so
 * the factor is the reduction's own. Printed per model: the full space, the reduced one and the
 * factor, how often a step was found independent, and the reduced space when invisibility is not
 * asked at all (a looser bound still: such a reduction could miss a violation).
 *
 *   node --import tsx bench/gmem-independence.ts
 */
import type { Model, Spec } from '../checker/index.ts';
import { fingerprinter } from '../checker/explore/fingerprinter.ts';
import type { BoundsInput, Design } from '../src/index.ts';
import { designs, gmemModel } from '../src/index.ts';
import type { GmemState } from '../src/state.ts';
import type { Action } from '../src/ops/common.ts';
import memslotDeletionConversion from '../specs/memslot-deletion-conversion.spec.ts';
import privateMappingAfterConversion from '../specs/private-mapping-after-conversion.spec.ts';
import sharedAccessToPrivate from '../specs/shared-access-to-private.spec.ts';
import truncationRaces from '../specs/truncation-races.spec.ts';

type M = Model<GmemState, Action>;

interface Counts {
  states: number;
  transitions: number;
  /** Expanded states where some thread's step passed the conditions. */
  reducedStates: number;
  expanded: number;
}

function explore(model: M, reduce: boolean, visibility: boolean, maxStates: number): Counts | undefined {
  const fp = fingerprinter(model, { symmetry: false });
  const key = (s: GmemState): number => {
    fp.fingerprintOf(s);
    return (fp.hasher.hi >>> 0) * 2097152 + (fp.hasher.lo >>> 11);
  };
  const invariants = model.properties.filter((p) => p.kind === 'always' || p.kind === 'sometimes');
  const steps = model.properties.filter((p) => p.kind === 'step');
  const invisible = (s: GmemState, a: Action, t: GmemState): boolean =>
    invariants.every((p) => (p as { holds(x: GmemState): boolean }).holds(s) === p.holds(t as never)) &&
    steps.every((p) => (p as { canChange?(a: Action): boolean }).canChange?.(a) === false);
  const commute = (s: GmemState, a: Action, sa: GmemState, b: Action, sb: GmemState): boolean => {
    const ab = model.nextState(sa, b);
    const ba = model.nextState(sb, a);
    return ab !== undefined && ba !== undefined && key(ab) === key(ba);
  };

  const seen = new Set<number>();
  const counts: Counts = { states: 0, transitions: 0, reducedStates: 0, expanded: 0 };
  let level: GmemState[] = [];
  for (const s of model.initStates()) {
    const k = key(s);
    if (!seen.has(k)) {
      seen.add(k);
      level.push(s);
      counts.states++;
    }
  }
  while (level.length > 0) {
    const next: GmemState[] = [];
    for (const s of level) {
      counts.expanded++;
      const enabled: [Action, GmemState][] = [];
      for (const a of model.actions(s)) {
        const t = model.nextState(s, a);
        if (t !== undefined) enabled.push([a, t]);
      }
      let take = enabled;
      if (reduce) {
        for (let slot = 0; slot < s.threads.length && take === enabled; slot++) {
          if (s.threads[slot] === null) continue;
          const mine = enabled.filter(([a]) => a.slot === slot);
          const others = enabled.filter(([a]) => a.slot !== slot);
          if (mine.length === 0 || others.length === 0) continue;
          const ok = mine.every(
            ([a, sa]) =>
              !seen.has(key(sa)) &&
              (!visibility || invisible(s, a, sa)) &&
              others.every(([b, sb]) => commute(s, a, sa, b, sb)),
          );
          if (ok) take = mine;
        }
        if (take !== enabled) counts.reducedStates++;
      }
      for (const [, t] of take) {
        counts.transitions++;
        const k = key(t);
        if (!seen.has(k)) {
          seen.add(k);
          next.push(t);
          if (++counts.states > maxStates) return undefined;
        }
      }
    }
    level = next;
  }
  return counts;
}

interface Case {
  readonly name: string;
  readonly design: Design;
  readonly bounds: BoundsInput;
}

/** A spec's question at its own bounds: the spec is imported, its bounds are not copied. */
function ofSpec(name: string, spec: Spec<GmemState, Action, BoundsInput>, design: string): Case {
  return { name: `spec ${name}, ${design}`, design: designs[design], bounds: spec.bounds };
}

export const CASES: readonly Case[] = [
  {
    name: 'upstream pages=2 inFlight=3 fault:3 convert:2 punchHole:1',
    design: designs.upstream,
    bounds: { pages: 2, inFlight: 3, ops: { fault: 3, convert: 2, punchHole: 1 } },
  },
  {
    name: 'upstream pages=3 inFlight=2 fault:3 convert:2 punchHole:1',
    design: designs.upstream,
    bounds: { pages: 3, inFlight: 2, ops: { fault: 3, convert: 2, punchHole: 1 } },
  },
  {
    name: 'in-place pages=2 inFlight=2 fault:2 convert:2 punchHole:1 mmapFault:1 pin:1',
    design: designs['in-place'],
    bounds: { pages: 2, inFlight: 2, ops: { fault: 2, convert: 2, punchHole: 1, mmapFault: 1, pin: 1 } },
  },
  ofSpec('private-mapping-after-conversion', privateMappingAfterConversion, 'upstream'),
  ofSpec('private-mapping-after-conversion', privateMappingAfterConversion, 'in-place'),
  ofSpec('truncation-races', truncationRaces, 'upstream'),
  ofSpec('shared-access-to-private', sharedAccessToPrivate, 'in-place'),
  ofSpec('memslot-deletion-conversion', memslotDeletionConversion, 'upstream'),
];

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

const names = process.argv.slice(2);
const maxStates = 3_000_000;
for (const c of CASES.filter((x) => names.length === 0 || names.some((n) => x.name.includes(n)))) {
  const model = gmemModel({ design: c.design, bounds: c.bounds });
  const t0 = performance.now();
  const full = explore(model, false, true, maxStates);
  const reduced = full && explore(model, true, true, maxStates);
  const loose = reduced && explore(model, true, false, maxStates);
  if (!full || !reduced || !loose) {
    console.log(`${c.name}: over ${maxStates} states, skipped`);
    continue;
  }
  console.log(
    `${c.name}: ${full.states} states, ${full.transitions} transitions; reduced: ${reduced.states} states ` +
      `(${(full.states / reduced.states).toFixed(2)}x fewer), ${reduced.transitions} transitions ` +
      `(${(full.transitions / reduced.transitions).toFixed(2)}x); one thread's step taken alone in ` +
      `${pct(reduced.reducedStates, reduced.expanded)} of the reduced search's states; with no invisibility asked: ` +
      `${loose.states} states (${(full.states / loose.states).toFixed(2)}x) (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}
