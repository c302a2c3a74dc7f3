/**
 * Would partial-order reduction pay on the anchors? A measurement, before any implementation.
 *
 * A step is local when it reads and writes only its own process's variables and no property
 * reads what it changes: philosophers, pc 2 -> 3 (done eating); peterson, pc 0 -> 1 (l := 1).
 * A local step is independent of every step of every other process in every state and
 * invisible, so {local step} is an ample set (conditions C1, C2); it is taken only when its
 * successor is new, the cycle proviso (C3) as breadth-first search can check it. The steps
 * that touch forks, levels or victims are shared: another process's step may disable or be
 * disabled by them, so they are never reduced here. Printed: the full space and the reduced one.
 *
 *   node --import tsx bench/independence.ts
 */
import { fingerprint, type Model } from '../checker/index.ts';
import { petersonPlain, philosophersPlain } from '../checker/examples/index.ts';

interface Counts {
  states: number;
  transitions: number;
  localTransitions: number;
  statesWithLocal: number;
  deadlocks: number;
}

function explore<S, A>(model: Model<S, A>, local: (s: S, a: A) => boolean, reduce: boolean): Counts {
  const initial = [...model.initStates()];
  const seen = new Set(initial.map((s) => fingerprint(s)));
  const counts: Counts = {
    states: initial.length,
    transitions: 0,
    localTransitions: 0,
    statesWithLocal: 0,
    deadlocks: 0,
  };
  let level = initial;
  while (level.length > 0) {
    const next: S[] = [];
    for (const s of level) {
      const enabled: [A, S][] = [];
      for (const a of model.actions(s)) {
        const t = model.nextState(s, a);
        if (t !== undefined) enabled.push([a, t]);
      }
      if (enabled.length === 0) counts.deadlocks++;
      const locals = enabled.filter(([a]) => local(s, a));
      if (locals.length > 0) counts.statesWithLocal++;
      const ample = reduce ? locals.find(([, t]) => !seen.has(fingerprint(t))) : undefined;
      for (const [a, t] of ample ? [ample] : enabled) {
        counts.transitions++;
        if (local(s, a)) counts.localTransitions++;
        const f = fingerprint(t);
        if (!seen.has(f)) {
          seen.add(f);
          next.push(t);
          counts.states++;
        }
      }
    }
    level = next;
  }
  return counts;
}

const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;

function measure<S, A>(name: string, model: Model<S, A>, local: (s: S, a: A) => boolean): void {
  const full = explore(model, local, false);
  const reduced = explore(model, local, true);
  console.log(
    `${name}: ${full.states} states, ${full.transitions} transitions, ${pct(full.localTransitions, full.transitions)} of them local; ` +
      `a local step enabled in ${pct(full.statesWithLocal, full.states)} of the states. Reduced: ${reduced.states} states ` +
      `(${(full.states / reduced.states).toFixed(2)}x fewer), ${reduced.transitions} transitions, deadlocks ${full.deadlocks} -> ${reduced.deadlocks}`,
  );
}

for (const n of [8, 10]) measure(`philosophers(${n})`, philosophersPlain(n), (s, a) => s.pc[a.p] === 2);
for (const n of [4, 5]) measure(`peterson(${n})`, petersonPlain(n), (s, a) => s.pc[a.p] === 0);
