/** Rebuilds a trace from an initial state and action indices, by replay. */
import type { Model, Trace } from '../model.ts';

export function buildTrace<S, A>(model: Model<S, A>, initial: S, actionIndices: readonly number[]): Trace<S, A> {
  const steps: Trace<S, A>['steps'] = [{ action: null, state: initial }];
  let state = initial;
  actionIndices.forEach((index, n) => {
    const action = nth(model.actions(state), index);
    const next = action === undefined ? undefined : model.nextState(state, action);
    if (action === undefined || next === undefined) {
      // The search reached this step, so only a model whose actions() or nextState() give
      // different answers for the same state can fail here.
      throw new Error(
        `gmemcheck: cannot rebuild step ${n + 1} of a trace of ${model.name}: action #${index} is ` +
          `${action === undefined ? 'no longer offered' : 'no longer enabled'}; ` +
          `actions() and nextState() must be deterministic for the same state`,
      );
    }
    steps.push({ action, state: next });
    state = next;
  });
  return { steps };
}

export function nth<T>(items: Iterable<T>, index: number): T | undefined {
  let i = 0;
  for (const item of items) if (i++ === index) return item;
  return undefined;
}
