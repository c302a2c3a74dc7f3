/** Random walks over a guest_memfd model, as fast-check draws them: a list of choices. */
import type { Action, GmemModel, GmemState } from '../../src/index.ts';

/** The enabled actions of `s` and the states they lead to, in the model's order. */
export function successors(m: GmemModel, s: GmemState): [Action, GmemState][] {
  const out: [Action, GmemState][] = [];
  for (const a of m.actions(s)) {
    const t = m.nextState(s, a);
    if (t) out.push([a, t]);
  }
  return out;
}

/**
 * Walk from the initial state, taking choice % (enabled actions) at each step, until the choices
 * run out, no action is enabled, or `step` returns true (stop here).
 */
export function walk(
  m: GmemModel,
  choices: readonly number[],
  step: (prev: GmemState, a: Action, next: GmemState) => boolean | void,
): void {
  let s = [...m.initStates()][0];
  for (const c of choices) {
    const next = successors(m, s);
    if (next.length === 0) return;
    const [a, t] = next[c % next.length];
    if (step(s, a, t)) return;
    s = t;
  }
}

/**
 * The state after taking, from the initial state, the first enabled action of each name in turn;
 * `name@text` takes the first whose formatted action also contains `text`.
 */
export function follow(m: GmemModel, names: readonly string[]): GmemState {
  let s = [...m.initStates()][0];
  for (const step of names) {
    const [name, text] = step.split('@');
    const hit = successors(m, s).find(
      ([a]) => m.presentation.actionName(a) === name && (!text || m.presentation.formatAction(a).includes(text)),
    );
    if (!hit) throw new Error(`no enabled ${step}`);
    s = hit[1];
  }
  return s;
}
