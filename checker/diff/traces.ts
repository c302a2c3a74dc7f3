/**
 * The shortest trace to each fact set: one run of the engine with a `sometimes` property per
 * set ("a state holds every fact of it"), whose witnesses are the shortest traces there are.
 */
import { check } from '../explore/bfs.ts';
import { always, sometimes, type CheckOptions, type Model } from '../model.ts';
import { threadAndAction, threadOrActor } from '../report/verdict.ts';
import { viewOf, withProperties } from './views.ts';

/** A trace as the diff prints it: one line per action, the thread first where the model names one. */
export type StepLines = readonly string[];

/**
 * For each set of facts, the shortest trace to a state whose view holds them all (undefined: none
 * found within the limits). The search stops once every set has its trace: one more `always`
 * property, last, fails at the first new state after the last set was found (invariants are
 * checked before witnesses on a state), and the run stops at that first violation.
 */
export function shortestTraces<S, A>(
  model: Model<S, A>,
  sets: readonly (readonly string[])[],
  options: CheckOptions = {},
): (StepLines | undefined)[] {
  if (sets.length === 0) return [];
  let open = sets.length;
  const witnessed = sets.map(() => false);
  // The sets' witnesses are asked about the same state in turn: its view is made once.
  let lastState: S | undefined;
  let lastView = new Set<string>();
  const properties = sets.map((facts, i) =>
    sometimes<S, A>(`fact set ${i}`, (state) => {
      if (state !== lastState) {
        lastState = state;
        lastView = new Set(viewOf(model, state).map((f) => f.text));
      }
      const view = lastView;
      const found = facts.every((f) => view.has(f));
      if (found && !witnessed[i]) {
        witnessed[i] = true;
        open--;
      }
      return found;
    }),
  );
  const allFound = always<S, A>('a fact set is still open', () => open > 0);
  const result = check(withProperties(model, [...properties, allFound]), {
    ...options,
    symmetry: false,
    deadlock: false,
    stopAtFirstViolation: true,
    onProgress: undefined,
  });
  return result.properties
    .slice(0, sets.length)
    .map((p) =>
      p.trace?.steps
        .slice(1)
        .map(({ action }) => threadAndAction(model, action as A, threadOrActor(model, action as A))),
    );
}
