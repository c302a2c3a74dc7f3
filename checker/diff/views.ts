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

export interface ReachedViews {
  /** Each distinct view once, by its text (the facts' texts joined by newlines), first reached first. */
  readonly views: ReadonlyMap<string, readonly ViewFact[]>;
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
  const views = new Map<string, readonly ViewFact[]>();
  const record = always<S, A>('record the view', (state) => {
    const facts = viewOf(model, state);
    const text = facts.map((f) => f.text).join('\n');
    if (!views.has(text)) views.set(text, facts);
    return true;
  });
  const result = check(withProperties(model, [record]), {
    ...options, symmetry: false, deadlock: false, stopAtFirstViolation: false, onProgress: undefined,
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
