/**
 * Does a saved trace still reproduce on today's model? Its actions replay (each offered and
 * enabled in turn), every state is the saved one, and the property still fails (violated) or
 * holds (a `sometimes` witness) at the end.
 */
import { formatActionOf } from '../format.ts';
import type { Model, Property } from '../model.ts';
import { replay } from '../replay.ts';
import { diff, formatChange, sameValue } from './diff.ts';
import type { SavedTrace } from './saved.ts';

export interface ReplayVerdict {
  reproduces: boolean;
  /** One sentence for a person. */
  message: string;
  /** The step that no longer replays or differs (0 = the initial state). */
  failedStep?: number;
}

export function replaySaved<S, A>(model: Model<S, A>, saved: SavedTrace): ReplayVerdict {
  const what = `${saved.property} (${saved.format} trace of ${saved.model}${saved.design ? `, design ${saved.design}` : ''})`;
  const run = replay(model, saved.actions as A[], saved.initial as S);
  if (!run.ok) {
    return {
      reproduces: false,
      failedStep: run.failedStep,
      message: `${what} no longer replays on ${model.name}: ${run.reason}${run.failedStep > 0 ? ' (this model is not the one the trace was saved from: it changed, or it is another design)' : ''}`,
    };
  }
  const steps = run.trace.steps;
  for (let i = 0; i < steps.length; i++) {
    if (!equalStates(model, steps[i].state, saved.states[i] as S)) {
      const changes = diff(saved.states[i], steps[i].state).slice(0, 3).map(formatChange).join('; ');
      return {
        reproduces: false,
        failedStep: i,
        message: `${what} replays on ${model.name}, but step ${i}${i > 0 ? ` (${formatActionOf(model, steps[i].action as A)})` : ''} reaches another state than the saved one: ${changes}`,
      };
    }
  }

  const last = steps.length - 1;
  if (saved.propertyKind === 'deadlock') {
    const stuck = !hasSuccessor(model, steps[last].state) && !model.terminal?.(steps[last].state);
    return verdict(
      stuck,
      last,
      stuck
        ? `${what} reproduces: no action is enabled after step ${last}`
        : `${what} replays, but after step ${last} the model is no longer deadlocked`,
    );
  }
  const property = model.properties.find((p) => p.name === saved.property);
  if (!property) {
    return {
      reproduces: false,
      message: `${model.name} has no property ${saved.property} (its properties: ${model.properties.map((p) => p.name).join(', ') || 'none'})`,
    };
  }
  if (property.kind !== saved.propertyKind) {
    return {
      reproduces: false,
      message: `${saved.property} is now a ${property.kind} property, the trace was saved for a ${saved.propertyKind} one`,
    };
  }
  return propertyVerdict(model, property, steps, saved, what);
}

function propertyVerdict<S, A>(
  model: Model<S, A>,
  property: Property<S, A>,
  steps: { action: A | null; state: S }[],
  saved: SavedTrace,
  what: string,
): ReplayVerdict {
  const last = steps.length - 1;
  const end = steps[last];
  switch (property.kind) {
    case 'always': {
      const fails = !property.holds(end.state);
      return verdict(
        fails,
        last,
        fails
          ? `${what} reproduces: violated after step ${last}`
          : `${what} replays, but ${property.name} now holds after step ${last}`,
      );
    }
    case 'step': {
      const fails = last > 0 && !property.holds(steps[last - 1].state, end.action as A, end.state);
      return verdict(
        fails,
        last,
        fails
          ? `${what} reproduces: violated on step ${last}`
          : `${what} replays, but ${property.name} now holds on step ${last}`,
      );
    }
    case 'sometimes': {
      const holds = property.holds(end.state);
      return verdict(
        holds,
        last,
        holds
          ? `${what} reproduces: witnessed after step ${last}`
          : `${what} replays, but ${property.name} no longer holds after step ${last}`,
      );
    }
    case 'eventually': {
      const reached = steps.findIndex((s) => property.holds(s.state));
      if (reached >= 0)
        return verdict(false, reached, `${what} replays, but ${property.name} now holds after step ${reached}`);
      if (saved.loopsBackTo !== undefined) {
        const loops = equalStates(model, end.state, steps[saved.loopsBackTo].state);
        return verdict(
          loops,
          last,
          loops
            ? `${what} reproduces: ${property.name} never holds and step ${last} loops back to step ${saved.loopsBackTo}`
            : `${what} replays, but step ${last} no longer loops back to step ${saved.loopsBackTo}`,
        );
      }
      const ends = !hasSuccessor(model, end.state);
      return verdict(
        ends,
        last,
        ends
          ? `${what} reproduces: the path ends at step ${last} and ${property.name} never held`
          : `${what} replays, but the path no longer ends at step ${last}`,
      );
    }
  }
}

function verdict(reproduces: boolean, step: number, message: string): ReplayVerdict {
  return reproduces ? { reproduces, message } : { reproduces, message, failedStep: step };
}

/** Equal as data, or equal once canonical where the model reduces symmetry. */
function equalStates<S, A>(model: Model<S, A>, a: S, b: S): boolean {
  return (
    sameValue(a, b) || (model.canonicalize !== undefined && sameValue(model.canonicalize(a), model.canonicalize(b)))
  );
}

function hasSuccessor<S, A>(model: Model<S, A>, state: S): boolean {
  for (const a of model.actions(state)) if (model.nextState(state, a) !== undefined) return true;
  return false;
}
