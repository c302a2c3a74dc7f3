/** How actions read when a model says nothing: compact JSON, and a name for coverage. */
import type { Model } from './model.ts';

export function defaultFormatAction(action: unknown): string {
  if (typeof action === 'string') return action;
  return JSON.stringify(action, (_key, v) =>
    v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : typeof v === 'bigint' ? v.toString() : v,
  ) ?? String(action);
}

/** The part of a formatted action before any argument: `kvm_gmem_get_pfn(0x1)` -> `kvm_gmem_get_pfn`. */
export function nameFromFormatted(formatted: string): string {
  const m = /^[^\s(:[{,]+/.exec(formatted);
  return m ? m[0] : formatted;
}

/** An action's name for coverage: the model's `actionName`, else a field that names it, else its formatted head. */
export function actionNameOf<S, A>(model: Model<S, A>, action: A): string {
  if (model.actionName) return model.actionName(action);
  if (!model.formatAction && typeof action === 'object' && action !== null && !Array.isArray(action)) {
    const tagged = action as Record<string, unknown>;
    for (const key of ['type', 'kind', 'op', 'name']) {
      if (typeof tagged[key] === 'string') return tagged[key] as string;
    }
  }
  return nameFromFormatted(formatActionOf(model, action));
}

export function formatActionOf<S, A>(model: Model<S, A>, action: A): string {
  return model.formatAction ? model.formatAction(action) : defaultFormatAction(action);
}
