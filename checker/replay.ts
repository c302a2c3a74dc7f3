/**
 * Replays a sequence of actions on a model: the contract's guarantee that every trace the
 * checker returns can be re-run, and the way a saved trace is checked against today's model.
 */
import { formatActionOf } from './format.ts';
import { fingerprint } from './fingerprint.ts';
import type { Model, Trace } from './model.ts';

export type ReplayResult<S, A> =
  | { ok: true; trace: Trace<S, A> }
  | {
      ok: false;
      /** The step that could not be taken (1 = the first action; 0 = the initial state). */
      failedStep: number;
      reason: string;
      /** The steps that did replay. */
      trace: Trace<S, A>;
    };

/**
 * Feeds `actions` to the model from `initial` (default: its first initial state). Each action
 * must be one the model offers in that state (equal as data) and must be enabled there.
 */
export function replay<S, A>(model: Model<S, A>, actions: readonly A[], initial?: S): ReplayResult<S, A> {
  let start: S | undefined;
  if (initial === undefined) {
    for (const s of model.initStates()) {
      start = s;
      break;
    }
  } else {
    const wanted = fingerprint(initial);
    for (const s of model.initStates()) {
      if (fingerprint(s) === wanted) {
        start = s;
        break;
      }
    }
  }
  if (start === undefined) {
    return {
      ok: false,
      failedStep: 0,
      reason:
        initial === undefined
          ? `${model.name} has no initial state`
          : `the trace's initial state is not an initial state of ${model.name}`,
      trace: { steps: [] },
    };
  }
  const steps: Trace<S, A>['steps'] = [{ action: null, state: start }];
  let state = start;
  for (let n = 0; n < actions.length; n++) {
    const wanted = fingerprint(actions[n]);
    let offered: A | undefined;
    for (const a of model.actions(state)) {
      if (fingerprint(a) === wanted) {
        offered = a;
        break;
      }
    }
    const next = offered === undefined ? undefined : model.nextState(state, offered);
    if (offered === undefined || next === undefined) {
      const what = formatActionOf(model, actions[n]);
      return {
        ok: false,
        failedStep: n + 1,
        reason: `step ${n + 1}: ${what} is ${offered === undefined ? 'not an action of the model in this state' : 'not enabled in this state'}`,
        trace: { steps },
      };
    }
    steps.push({ action: offered, state: next });
    state = next;
  }
  return { ok: true, trace: { steps } };
}
