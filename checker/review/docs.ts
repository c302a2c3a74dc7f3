/**
 * The documentation of a spec's properties (`why`, `where`), read from its models: what the
 * review lists under each matrix and `gmemcheck list` prints after a property's name.
 */
import { NO_DEADLOCK, type Model, type PropertyDoc } from '../model.ts';

/**
 * The deadlock check is the engine's, not a property of the model: unless a model says what it
 * means there (`deadlockDoc`), the engine does. Given only where the model documents some
 * other property, so that a model with no docs renders no property table.
 */
export const NO_DEADLOCK_DOC: PropertyDoc = {
  why: 'Every thread is stuck for good: a reachable state enables no action, and the model does not call it terminal.',
};

/** The why and where of property `name` in the first of `models` that documents it. */
function docOf(models: readonly Model<unknown, unknown>[], name: string): PropertyDoc | undefined {
  for (const model of models) {
    const deadlockDoc = model.presentation?.deadlockDoc;
    if (name === NO_DEADLOCK && deadlockDoc) return deadlockDoc;
    const p = model.properties.find((q) => q.name === name);
    if (p && (p.why !== undefined || p.where !== undefined)) {
      return { ...(p.why !== undefined && { why: p.why }), ...(p.where !== undefined && { where: p.where }) };
    }
  }
  return undefined;
}

/**
 * Per documented property of `names`, in that order, its why and where, from the spec's models
 * (one per design; the first that documents a property is taken). Empty when they document none.
 */
export function propertyDocs(models: readonly Model<unknown, unknown>[], names: readonly string[]): Record<string, PropertyDoc> {
  const found = names.map((name) => [name, docOf(models, name)] as const);
  if (found.every(([, doc]) => doc === undefined)) return {};
  return Object.fromEntries(found.flatMap(([name, doc]) =>
    doc ? [[name, doc]] : name === NO_DEADLOCK ? [[name, NO_DEADLOCK_DOC]] : []));
}
