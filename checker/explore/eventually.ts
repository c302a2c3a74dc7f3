/**
 * `eventually(p)`: is there a path, through states where p is false, that ends (reaches a state
 * with no successor) or closes a cycle? Such a path never passes a state where p holds.
 *
 * A depth-first search of the region where p is false, from each initial state where it is
 * false. A successor on the search stack closes a cycle (a lasso); a state with no successor is
 * a dead end. A path cut by the depth bound or leaving the boundary is not a violation. The
 * trace is a witness path, not necessarily the shortest one.
 *
 * Under a depth bound a state may be met first deep (cut) and later shallower: a state is only
 * skipped when it was already explored from the same depth or shallower.
 */
import type { Hasher } from '../fingerprint.ts';
import type { Model, PropertyResult, Trace } from '../model.ts';

interface Frame<S, A> {
  state: S;
  action: A | null;
  key: string;
  successors: { action: A; state: S }[];
  next: number;
}

export interface EventuallyContext<S> {
  maxDepth: number;
  /** Fingerprints a state into hasher.hi / hasher.lo (symmetry and fast encoding included). */
  fingerprintOf(state: S): void;
  hasher: Hasher;
}

export function checkEventually<S, A>(
  model: Model<S, A>,
  holds: (state: S) => boolean,
  ctx: EventuallyContext<S>,
): Trace<S, A> | undefined {
  const keyOf = (state: S): string => {
    ctx.fingerprintOf(state);
    return `${ctx.hasher.hi}:${ctx.hasher.lo}`;
  };
  const exploredAtDepth = new Map<string, number>();
  const onStack = new Map<string, number>();
  const expandable = (state: S, depth: number) =>
    depth < ctx.maxDepth && (!model.withinBoundary || model.withinBoundary(state));
  const successorsOf = (state: S): { action: A; state: S }[] => {
    const out: { action: A; state: S }[] = [];
    for (const action of model.actions(state)) {
      const next = model.nextState(state, action);
      if (next !== undefined) out.push({ action, state: next });
    }
    return out;
  };
  const traceOf = (stack: Frame<S, A>[], last?: { action: A; state: S }, loopsBackTo?: number): Trace<S, A> => {
    const steps = stack.map((f) => ({ action: f.action, state: f.state }));
    if (last) steps.push(last);
    return loopsBackTo === undefined ? { steps } : { steps, loopsBackTo };
  };

  for (const init of model.initStates()) {
    if (holds(init)) continue;
    const stack: Frame<S, A>[] = [];
    const push = (state: S, action: A | null, key: string): Trace<S, A> | undefined => {
      const depth = stack.length;
      const successors = expandable(state, depth) ? successorsOf(state) : undefined;
      const frame = { state, action, key, successors: successors ?? [], next: 0 };
      if (successors && successors.length === 0) return traceOf([...stack, frame]);
      onStack.set(key, stack.length);
      stack.push(frame);
      return undefined;
    };
    const initKey = keyOf(init);
    if (exploredAtDepth.has(initKey)) continue;
    const atInit = push(init, null, initKey);
    if (atInit) return atInit;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next >= top.successors.length) {
        stack.pop();
        onStack.delete(top.key);
        const before = exploredAtDepth.get(top.key);
        if (before === undefined || stack.length < before) exploredAtDepth.set(top.key, stack.length);
        continue;
      }
      const succ = top.successors[top.next++];
      if (holds(succ.state)) continue;
      const key = keyOf(succ.state);
      const loop = onStack.get(key);
      if (loop !== undefined) return traceOf(stack, succ, loop);
      const before = exploredAtDepth.get(key);
      if (before !== undefined && before <= stack.length) continue;
      const dead = push(succ.state, succ.action, key);
      if (dead) return dead;
    }
  }
  return undefined;
}

/** Gives every `eventually` property of the model its verdict (after a complete exploration). */
export function decideEventually<S, A>(model: Model<S, A>, results: PropertyResult<S, A>[], ctx: EventuallyContext<S>): void {
  model.properties.forEach((p, index) => {
    if (p.kind !== 'eventually') return;
    const found = checkEventually(model, p.holds, ctx);
    if (found) {
      results[index].status = 'violated';
      results[index].trace = found;
    }
  });
}
