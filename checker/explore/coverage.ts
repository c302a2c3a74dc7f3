/**
 * Which actions fired and how often, by name. Counting costs no string and no formatting per
 * transition: actions are counted by who they are, and named once, when the counts are read.
 *
 * An action tried at position i of `actions(state)` is counted, cheapest first:
 * - by position, when it is the very value (===) first met at position i: a model whose actions
 *   are a static list is counted in an array, whatever its actions are;
 * - small non-negative integers, in an array by value;
 * - by identity (a Map from the action itself: a primitive by value, an object by reference),
 *   while that Map holds at most IDENTITY_LIMIT actions;
 * - past that (a model that builds fresh action objects per state), by the presentation's
 *   `actionName` when it has one (which it promises is cheap), else by the action's 64-bit
 *   structural fingerprint, one action kept per fingerprint to be named at the end.
 * Names are the presentation's `actionName`, else the formatted action's head (format.ts). An
 * action's name depends on its data only, so every way of counting gives the same names and
 * counts (the structural way as exactly as states are told apart: by 64-bit fingerprints).
 */
import { Hasher } from '../fingerprint.ts';
import { actionNameOf } from '../format.ts';
import type { Model } from '../model.ts';

const SMALL = 1024;
const POSITIONS = 1024;
const IDENTITY_LIMIT = 4096;

interface Tally {
  fired: number;
}

/** Actions counted by structural fingerprint: chained by the low word under the high one. */
interface HashTally extends Tally {
  readonly lo: number;
  readonly action: unknown;
  next: HashTally | undefined;
}

export class Coverage<S, A> {
  /** The action first met at each position, its count, and whether it was tried there. */
  private readonly positionAction: A[] = [];
  private readonly positionFired = new Float64Array(POSITIONS);
  private readonly positionTried = new Uint8Array(POSITIONS);
  private readonly smallFired = new Float64Array(SMALL);
  private readonly smallTried = new Uint8Array(SMALL);
  private identity: Map<A, Tally> | undefined = new Map();
  private readonly byName = new Map<string, Tally>();
  private readonly byHash = new Map<number, HashTally>();
  private readonly hasher = new Hasher();
  private readonly actionName: ((action: A) => string) | undefined;

  constructor(private readonly model: Model<S, A>) {
    const name = model.presentation?.actionName;
    this.actionName = name ? name.bind(model.presentation) : undefined;
  }

  /** `action`, at position `position` of its state's actions, was tried; `fired`: it led somewhere. */
  tried(position: number, action: A, fired: boolean): void {
    const positions = this.positionAction;
    if (position < positions.length) {
      if (positions[position] === action) {
        this.positionTried[position] = 1;
        if (fired) this.positionFired[position]++;
        return;
      }
    } else if (position === positions.length && position < POSITIONS) {
      positions.push(action);
      this.positionTried[position] = 1;
      if (fired) this.positionFired[position]++;
      return;
    }
    if (typeof action === 'number' && action >= 0 && action < SMALL && (action | 0) === action) {
      this.smallTried[action] = 1;
      if (fired) this.smallFired[action]++;
      return;
    }
    this.tally(action).fired += fired ? 1 : 0;
  }

  private tally(action: A): Tally {
    const identity = this.identity;
    if (identity !== undefined) {
      let t = identity.get(action);
      if (t === undefined) {
        if (identity.size < IDENTITY_LIMIT) identity.set(action, (t = { fired: 0 }));
        else {
          this.leaveIdentity();
          return this.tally(action);
        }
      }
      return t;
    }
    if (this.actionName) return this.named(this.actionName(action));
    const h = this.hasher;
    h.reset();
    h.value(action);
    h.finish();
    const first = this.byHash.get(h.hi);
    let t = first;
    while (t !== undefined && t.lo !== h.lo) t = t.next;
    if (t === undefined) {
      t = { fired: 0, lo: h.lo, action, next: first };
      this.byHash.set(h.hi, t);
    }
    return t;
  }

  private named(name: string): Tally {
    let t = this.byName.get(name);
    if (t === undefined) this.byName.set(name, (t = { fired: 0 }));
    return t;
  }

  /** Too many distinct actions to keep by identity: their counts move to the next way. */
  private leaveIdentity(): void {
    const identity = this.identity!;
    this.identity = undefined;
    for (const [action, t] of identity) this.tally(action).fired += t.fired;
  }

  private all(): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (action: A, fired: number) => {
      const name = actionNameOf(this.model, action);
      counts.set(name, (counts.get(name) ?? 0) + fired);
    };
    const positions = this.positionAction;
    for (let i = 0; i < positions.length; i++) if (this.positionTried[i]) add(positions[i], this.positionFired[i]);
    for (let a = 0; a < SMALL; a++) if (this.smallTried[a]) add(a as A, this.smallFired[a]);
    for (const [action, t] of this.identity ?? []) add(action, t.fired);
    for (const [name, t] of this.byName) counts.set(name, (counts.get(name) ?? 0) + t.fired);
    for (const first of this.byHash.values()) {
      for (let t: HashTally | undefined = first; t !== undefined; t = t.next) add(t.action as A, t.fired);
    }
    return counts;
  }

  fired(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, n] of [...this.all()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (n > 0) out[name] = n;
    }
    return out;
  }

  neverFired(): string[] {
    return [...this.all()]
      .filter(([, n]) => n === 0)
      .map(([name]) => name)
      .sort();
  }
}
