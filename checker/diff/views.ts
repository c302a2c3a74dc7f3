/**
 * The behaviours a model reaches: the views (see Presentation.view) of its reachable states,
 * each as its facts, in the order the engine first reached them (breadth-first, so the
 * shallowest first).
 *
 * The engine does the search: the model is run with one `always` property that records the
 * view of every state it is shown and always holds. Symmetry is off, so that every state is
 * one the model reaches as it is (not a representative with its threads renamed).
 */
import { check } from '../explore/bfs.ts';
import { always, type CheckOptions, type Model } from '../model.ts';

/** One fact of a view, with its text `key: value`, which behaviours compare. */
export interface ViewFact {
  readonly key: string;
  readonly text: string;
}

/** A fact as reachedViews keeps it: one object per text, numbered in the order first seen. */
export interface KnownFact extends ViewFact {
  readonly id: number;
}

/**
 * Every fact text seen in this process, numbered: one table for all the designs, so that two
 * designs' views compare by their facts' numbers. A model's distinct facts are few (its views,
 * not its facts, grow with the state space).
 */
const knownFacts = new Map<string, Map<string, KnownFact>>();
let knownCount = 0;

/** The fact `key: value`, numbered; looked up by key, then value, so that no text is built for a fact seen before. */
function known(key: string, value: string): KnownFact {
  let values = knownFacts.get(key);
  if (!values) knownFacts.set(key, (values = new Map()));
  let k = values.get(value);
  if (!k) values.set(value, (k = { key, text: `${key}: ${value}`, id: knownCount++ }));
  return k;
}

export interface ReachedViews {
  /**
   * Each distinct view once, first reached first, keyed by its facts' numbers (KnownFact.id)
   * joined by commas. Facts are shared between the views that hold them: a bounded model's
   * views are about as many as its states, so they are kept small.
   */
  readonly views: ReadonlyMap<string, readonly KnownFact[]>;
  readonly distinctStates: number;
  readonly complete: boolean;
}

/** The model's view of `state`; a model without a view has one fact, the state as JSON. */
export function viewOf<S, A>(model: Model<S, A>, state: S): ViewFact[] {
  const view = model.presentation?.view;
  if (!view) return [{ key: 'state', text: `state: ${JSON.stringify(state)}` }];
  return view(state).map((fact) => ({ key: fact.key, text: `${fact.key}: ${fact.value}` }));
}

/** Explores `model` (at `options`' depth and limits) and collects the views it reaches. */
export function reachedViews<S, A>(model: Model<S, A>, options: CheckOptions = {}): ReachedViews {
  const views = new Map<string, readonly KnownFact[]>();
  const view = model.presentation?.view;
  // As viewOf, with each fact numbered.
  const factsOf = view
    ? (state: S) => view(state).map((f) => known(f.key, f.value))
    : (state: S) => [known('state', JSON.stringify(state))];
  const record = always<S, A>('record the view', (state) => {
    const facts = factsOf(state);
    const key = facts.map((f) => f.id).join(',');
    if (!views.has(key)) views.set(key, facts);
    return true;
  });
  const result = check(withProperties(model, [record]), {
    ...options,
    symmetry: false,
    deadlock: false,
    stopAtFirstViolation: false,
    onProgress: undefined,
  });
  return { views, distinctStates: result.distinctStates, complete: result.complete };
}

/**
 * The same model with other properties. Object.create keeps the model's own methods (a class
 * instance's too) and their `this`.
 */
export function withProperties<S, A>(model: Model<S, A>, properties: Model<S, A>['properties']): Model<S, A> {
  return Object.create(model, { properties: { value: properties, enumerable: true } }) as Model<S, A>;
}
