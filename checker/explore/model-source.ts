/**
 * Where a worker thread finds the model: functions cannot cross threads, so a parallel run
 * names the module and the export that build the model, and every thread builds its own copy.
 */
import { pathToFileURL } from 'node:url';
import type { Model } from '../model.ts';

export interface ModelSource {
  /** A file path or URL of an ES module. */
  module: string;
  /** The export: a function returning a Model, or an object with `method` (default: `default`). */
  export?: string;
  /** When the export is an object (a spec), the method that builds the model, e.g. `model`. */
  method?: string;
  /** Arguments for the function or method: plain data. */
  args?: unknown[];
}

export async function loadModel<S, A>(source: ModelSource): Promise<Model<S, A>> {
  const url = /^[a-z]+:\/\//.test(source.module) ? source.module : pathToFileURL(source.module).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const exported = mod[source.export ?? 'default'] as Record<string, unknown> | ((...a: unknown[]) => unknown);
  const args = source.args ?? [];
  let model: unknown;
  if (source.method) {
    const method = (exported as Record<string, unknown>)?.[source.method];
    if (typeof method !== 'function')
      throw new TypeError(`${source.module}: export ${source.export ?? 'default'} has no method ${source.method}`);
    model = method.apply(exported, args);
  } else if (typeof exported === 'function') model = exported(...args);
  else model = exported;
  if (!model || typeof (model as Model<S, A>).nextState !== 'function') {
    throw new TypeError(`${source.module}: export ${source.export ?? 'default'} does not build a Model`);
  }
  return model as Model<S, A>;
}
