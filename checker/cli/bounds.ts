/**
 * `--bound KEY=VALUE`: the spec's bounds with some changed, so that a reviewer re-checks the
 * same question one page or one thread further without copying the spec. A dotted key
 * (`ops.fault=3`) changes one entry of a nested bound, at any depth. Values read as numbers,
 * `true` / `false`, or else strings; the spec's model says whether the result makes sense (its
 * error becomes one line, exit 2).
 */
import type { BoundValue, SpecBounds } from '../spec.ts';
import { UsageError } from './errors.ts';
import type { LoadedSpec } from './specs.ts';

function parseValue(text: string): number | boolean | string {
  if (/^-?[0-9]+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The spec's bounds with each `KEY=VALUE` of `overrides` applied, in order. */
export function overriddenBounds(bounds: SpecBounds, overrides: readonly string[]): SpecBounds {
  let out = bounds;
  for (const item of overrides) {
    const match = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)=(.+)$/.exec(item);
    if (!match)
      throw new UsageError(`--bound needs KEY=VALUE, got "${item}" (e.g. --bound pages=3 or --bound ops.fault=2)`);
    out = withEntry(out, match[1].split('.'), parseValue(match[2]), []);
  }
  return out;
}

const isRecord = (v: BoundValue): v is SpecBounds => typeof v === 'object' && !Array.isArray(v);

/** `record` with the entry at `path` set to `value`; the records on the way are copied, not changed. */
function withEntry(
  record: SpecBounds,
  [key, ...rest]: readonly string[],
  value: BoundValue,
  above: readonly string[],
): SpecBounds {
  if (rest.length === 0) return { ...record, [key]: value };
  const inner = record[key];
  if (inner !== undefined && !isRecord(inner)) {
    const name = [...above, key].join('.');
    throw new UsageError(
      `--bound ${[name, ...rest].join('.')}: bound "${name}" is ${JSON.stringify(inner)}, not a set of named counts (write --bound ${name}=VALUE)`,
    );
  }
  return { ...record, [key]: withEntry(inner ?? {}, rest, value, [...above, key]) };
}

/**
 * The spec as it runs at other bounds: its heading, traces and models all say the new bounds
 * (`bounds` set; threads rebuild the model with `boundsOverride`). Unchanged without overrides.
 */
export function withBounds(loaded: LoadedSpec, overrides: readonly string[] | undefined): LoadedSpec {
  if (!overrides || overrides.length === 0) return loaded;
  if (!loaded.spec.boundsOverridable) {
    throw new UsageError(
      `spec "${loaded.id}" does not take --bound: its model() ignores bounds (copy the spec and edit its bounds, or give it boundsOverridable and model(design, bounds))`,
    );
  }
  return atBounds(loaded, overriddenBounds(loaded.spec.bounds, overrides));
}

/** The spec at `bounds` (a spec with boundsOverridable): what --bound and replay of a trace saved with it run. */
export function atBounds(loaded: LoadedSpec, bounds: SpecBounds): LoadedSpec {
  const { spec } = loaded;
  return {
    ...loaded,
    boundsOverride: bounds,
    spec: { ...spec, bounds, model: (design, b) => spec.model(design, b ?? bounds) },
  };
}
