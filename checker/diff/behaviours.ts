/**
 * What one design reaches that another does not. A behaviour is the view of a reachable state
 * (its kernel-named facts, see views.ts), so two designs with different internals compare by
 * what a reviewer reads, not by how their states are laid out.
 *
 * Only facts whose key both designs name are compared: a key one design alone names (guest_memfd's
 * own shareability in an in-place design, say) cannot be matched against anything, so it is
 * listed apart and left out of both sides' views.
 *
 * A new view is filed under its smallest new fact sets, so that a reviewer reads the cause and
 * not every state around it:
 * - `fact`: a fact no state of the other design has (each such fact of the view is a set);
 * - `pair`: else, two facts that each occur in the other design but never in one state
 *   (every such pair of the view);
 * - `view`: else, the view is new only as a whole, and it is its own set.
 * Sets are listed by kind (facts, pairs, views), each kind in the order the search first reached
 * one of its views (shallowest first).
 */
import type { KnownFact, ReachedViews } from './views.ts';

export type FactSetKind = 'fact' | 'pair' | 'view';

export interface FactSet {
  readonly kind: FactSetKind;
  /** The facts, `key: value`. */
  readonly facts: readonly string[];
  /** How many of the new views hold every fact of the set. */
  readonly views: number;
}

export interface NewBehaviours {
  /** Distinct views (over the compared keys) this design reaches and the other does not. */
  readonly newViews: number;
  readonly factSets: readonly FactSet[];
}

/** A key only one design names, with the values it takes there. */
export interface OwnKey {
  readonly key: string;
  readonly values: readonly string[];
}

export interface BehaviourDiff {
  /** Distinct views over the compared keys, per side. */
  readonly fromViews: number;
  readonly toViews: number;
  readonly comparedKeys: number;
  readonly onlyFrom: readonly OwnKey[];
  readonly onlyTo: readonly OwnKey[];
  /** What `to` reaches that `from` does not, and the converse. */
  readonly newInTo: NewBehaviours;
  readonly newInFrom: NewBehaviours;
  readonly equal: boolean;
}

/**
 * `ignored` says which keys neither side's views keep (`gmemcheck diff --ignore`: the threads in
 * flight, say, to compare only what the operations leave behind).
 */
export function diffBehaviours(
  from: ReachedViews,
  to: ReachedViews,
  ignored: (key: string) => boolean = () => false,
): BehaviourDiff {
  const fromKeys = keysOf(from, ignored);
  const toKeys = keysOf(to, ignored);
  const compared = new Set([...fromKeys.keys()].filter((k) => toKeys.has(k)));
  const fromViews = projected(from, compared);
  const toViews = projected(to, compared);
  const onlyFrom = ownKeys(fromKeys, compared);
  const onlyTo = ownKeys(toKeys, compared);
  const newInTo = newBehaviours(toViews, fromViews);
  const newInFrom = newBehaviours(fromViews, toViews);
  return {
    fromViews: fromViews.size,
    toViews: toViews.size,
    comparedKeys: compared.size,
    onlyFrom,
    onlyTo,
    newInTo,
    newInFrom,
    equal: newInTo.newViews === 0 && newInFrom.newViews === 0 && onlyFrom.length === 0 && onlyTo.length === 0,
  };
}

/** Every key the views name (but the ignored), with its values, in first-seen order. */
function keysOf(reached: ReachedViews, ignored: (key: string) => boolean): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  const seen = new Set<number>();
  for (const facts of reached.views.values()) {
    for (const f of facts) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      if (ignored(f.key)) continue;
      let values = keys.get(f.key);
      if (!values) keys.set(f.key, (values = new Set()));
      values.add(f.text.slice(f.key.length + 2));
    }
  }
  return keys;
}

function ownKeys(keys: Map<string, Set<string>>, compared: Set<string>): OwnKey[] {
  return [...keys].filter(([key]) => !compared.has(key)).map(([key, values]) => ({ key, values: [...values] }));
}

/** The views over the compared keys, distinct, keyed by their facts' numbers, in first-reached order. */
function projected(reached: ReachedViews, compared: Set<string>): Map<string, readonly KnownFact[]> {
  const views = new Map<string, readonly KnownFact[]>();
  const kept = new Map<number, boolean>();
  const keeps = (f: KnownFact) => {
    let k = kept.get(f.id);
    if (k === undefined) kept.set(f.id, (k = compared.has(f.key)));
    return k;
  };
  for (const [key, facts] of reached.views) {
    // Most views name only compared keys: their key stands.
    const whole = facts.every(keeps);
    const mine = whole ? facts : facts.filter(keeps);
    const text = whole ? key : mine.map((f) => f.id).join(',');
    if (!views.has(text)) views.set(text, mine);
  }
  return views;
}

/** The views of `mine` that `theirs` lacks, filed under their smallest new fact sets. */
function newBehaviours(
  mine: Map<string, readonly KnownFact[]>,
  theirs: Map<string, readonly KnownFact[]>,
): NewBehaviours {
  const fresh = [...mine].filter(([key]) => !theirs.has(key)).map(([, facts]) => facts);
  const occurs = new Occurrences([...theirs.values()]);
  const sets = new Map<string, { kind: FactSetKind; facts: readonly string[]; views: number }>();
  const file = (kind: FactSetKind, facts: readonly KnownFact[]) => {
    const id = `${kind}\n${facts.map((f) => f.id).join(',')}`;
    const set = sets.get(id);
    if (set) set.views++;
    else sets.set(id, { kind, facts: facts.map((f) => f.text), views: 1 });
  };
  for (const facts of fresh) {
    const singles = facts.filter((f) => !occurs.has(f));
    if (singles.length > 0) {
      for (const f of singles) file('fact', [f]);
      continue;
    }
    let pairs = 0;
    for (let i = 0; i < facts.length; i++) {
      for (let j = i + 1; j < facts.length; j++) {
        if (!occurs.together(facts[i], facts[j])) {
          file('pair', [facts[i], facts[j]]);
          pairs++;
        }
      }
    }
    if (pairs === 0) file('view', facts);
  }
  const rank: Record<FactSetKind, number> = { fact: 0, pair: 1, view: 2 };
  // Array sort is stable: within a kind, the first reached first.
  return { newViews: fresh.length, factSets: [...sets.values()].sort((a, b) => rank[a.kind] - rank[b.kind]) };
}

/** Which of a design's views hold a fact: one bit per view, so that two facts meet by AND. */
class Occurrences {
  private readonly bits: (Uint32Array | undefined)[] = [];

  constructor(views: readonly (readonly KnownFact[])[]) {
    const words = Math.ceil(views.length / 32);
    views.forEach((facts, v) => {
      for (const f of facts) {
        let set = this.bits[f.id];
        if (!set) this.bits[f.id] = set = new Uint32Array(words);
        set[v >>> 5] |= 1 << (v & 31);
      }
    });
  }

  has(fact: KnownFact): boolean {
    return this.bits[fact.id] !== undefined;
  }

  /** Some view holds both. */
  together(a: KnownFact, b: KnownFact): boolean {
    const x = this.bits[a.id];
    const y = this.bits[b.id];
    if (!x || !y) return false;
    for (let i = 0; i < x.length; i++) if ((x[i] & y[i]) !== 0) return true;
    return false;
  }
}
