/**
 * The shortest trace to each fact set: one run of the engine with a `sometimes` property per
 * set ("a state holds every fact of it"), whose witnesses are the shortest traces there are.
 */
import { check } from '../explore/bfs.ts';
import { sometimes, type CheckOptions, type Model } from '../model.ts';
import { threadAndAction, threadOrActor } from '../report/verdict.ts';
import { viewOf, withProperties } from './views.ts';

/** A trace as the diff prints it: one line per action, the thread first where the model names one. */
export type StepLines = readonly string[];

/** For each set of facts, the shortest trace to a state whose view holds them all (undefined: none found within the limits). */
export function shortestTraces<S, A>(model: Model<S, A>, sets: readonly (readonly string[])[], options: CheckOptions = {}): (StepLines | undefined)[] {
  if (sets.length === 0) return [];
  const properties = sets.map((facts, i) => sometimes<S, A>(`fact set ${i}`, (state) => {
    const view = new Set(viewOf(model, state).map((f) => f.text));
    return facts.every((f) => view.has(f));
  }));
  const result = check(withProperties(model, properties), {
    ...options, symmetry: false, deadlock: false, stopAtFirstViolation: false, onProgress: undefined,
  });
  return result.properties.map((p) => p.trace?.steps.slice(1).map(({ action }) =>
    threadAndAction(model, action as A, threadOrActor(model, action as A))));
}
