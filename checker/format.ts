/** How actions read, from the model's presentation or, where it says nothing, as compact JSON. */
import type { Model } from './model.ts';

export function defaultFormatAction(action: unknown): string {
  if (typeof action === 'string') return action;
  return (
    JSON.stringify(action, (_key, v) =>
      v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : typeof v === 'bigint' ? v.toString() : v,
    ) ?? String(action)
  );
}

/** The part of a formatted action before any argument: `kvm_gmem_get_pfn(0x1)` -> `kvm_gmem_get_pfn`. */
export function nameFromFormatted(formatted: string): string {
  const m = /^[^\s(:[{,]+/.exec(formatted);
  return m ? m[0] : formatted;
}

/** An action's name for coverage: the presentation's `actionName`, else its formatted head. */
export function actionNameOf<S, A>(model: Model<S, A>, action: A): string {
  const name = model.presentation?.actionName;
  return name ? name(action) : nameFromFormatted(formatActionOf(model, action));
}

/** An action's text: the presentation's `formatAction`, else `operation: step`, else compact JSON. */
export function formatActionOf<S, A>(model: Model<S, A>, action: A): string {
  const p = model.presentation;
  if (p?.formatAction) return p.formatAction(action);
  const s = p?.stepOf?.(action);
  return s ? `${s.operation}: ${s.step}` : defaultFormatAction(action);
}
