/**
 * Finding and loading spec files (`<dir>/<id>.spec.ts`, each `export default defineSpec({...})`),
 * and checking that what they export is a spec before anything runs. Every problem is a
 * SpecError or UsageError naming the file and the fix.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NO_DEADLOCK, type Model } from '../model.ts';
import type { Spec } from '../spec.ts';
import { SpecError, UsageError, displayPath, firstLine } from './errors.ts';
import { loadFailureText } from './load-error.ts';
import { didYouMean } from './suggest.ts';

const suffix = '.spec.ts';
const statuses = ['holds', 'violated', 'satisfied', 'unsatisfied'];
const shapeHint = 'export default defineSpec({ title, question, bounds, designs, properties, expected, model })';

export interface LoadedSpec {
  /** The file name without `.spec.ts`: how the CLI, reports and trace files name the spec. */
  readonly id: string;
  /** The file, as given or relative to the working directory. */
  readonly file: string;
  readonly spec: Spec;
  /** Set by --bound: the bounds the spec's models are built at (threads rebuild them from it). */
  readonly boundsOverride?: Spec['bounds'];
}

/** The spec files of `dir`, sorted by id. */
export function specFiles(dir: string): { id: string; file: string }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`no specs directory "${dir}" (run from the repository root, or pass --specs DIR)`);
  }
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => ({ id: name.slice(0, -suffix.length), file: displayPath(resolve(dir, name)) }));
}

/** Loads one spec by id (a file of `dir`) or by the path of a `.spec.ts` file. */
export async function resolveSpec(dir: string, nameOrPath: string): Promise<LoadedSpec> {
  if (nameOrPath.endsWith(suffix) || nameOrPath.includes('/')) {
    const path = nameOrPath.endsWith(suffix) ? nameOrPath : `${nameOrPath}${suffix}`;
    if (!existsSync(path))
      throw new UsageError(
        `no spec file "${nameOrPath}" (pass a spec id from gmemcheck list, or the path of a ${suffix} file)`,
      );
    return loadSpecFile(basename(path).slice(0, -suffix.length), displayPath(resolve(path)));
  }
  const files = specFiles(dir);
  const found = files.find((f) => f.id === nameOrPath);
  if (!found) {
    const known = files.length ? `known: ${files.map((f) => f.id).join(', ')}` : `"${dir}" has no ${suffix} file`;
    throw new UsageError(
      `unknown spec "${nameOrPath}" (${didYouMean(
        nameOrPath,
        files.map((f) => f.id),
      )}${known}; see gmemcheck list)`,
    );
  }
  return loadSpecFile(found.id, found.file);
}

/** Loads the named specs, or every spec of `dir` when none is named. */
export async function loadSpecs(dir: string, names: readonly string[]): Promise<LoadedSpec[]> {
  if (names.length === 0) {
    const files = specFiles(dir);
    if (files.length === 0) throw new UsageError(`"${dir}" has no ${suffix} file (pass --specs DIR)`);
    const loaded: LoadedSpec[] = [];
    for (const f of files) loaded.push(await loadSpecFile(f.id, f.file));
    return loaded;
  }
  const loaded: LoadedSpec[] = [];
  for (const name of names) loaded.push(await resolveSpec(dir, name));
  return loaded;
}

async function loadSpecFile(id: string, file: string): Promise<LoadedSpec> {
  let module: { default?: unknown };
  try {
    module = await import(pathToFileURL(resolve(file)).href);
  } catch (error) {
    throw new SpecError(loadFailureText(file, error), { cause: error });
  }
  return { id, file, spec: validateSpec(module.default, file) };
}

/** Checks the shape of a spec's default export; the message names the first thing missing. */
export function validateSpec(value: unknown, file: string): Spec {
  const fail = (what: string, hint = `; write ${shapeHint}`): never => {
    throw new SpecError(`${file}: ${what}${hint}`);
  };
  if (value === undefined) fail('there is no default export');
  if (typeof value !== 'object' || value === null)
    fail(`the default export is ${value === null ? 'null' : typeof value}, not a spec`);
  const spec = value as Record<string, unknown>;
  const isStringArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (typeof spec.title !== 'string' || !spec.title) fail('the spec has no "title", a string');
  if (typeof spec.question !== 'string' || !spec.question) fail('the spec has no "question", a string');
  if (typeof spec.bounds !== 'object' || spec.bounds === null || Array.isArray(spec.bounds))
    fail('the spec has no "bounds", an object');
  if (!isStringArray(spec.designs) || (spec.designs as string[]).length === 0)
    fail('the spec has no "designs", a non-empty array of names');
  if (!isStringArray(spec.properties) || (spec.properties as string[]).length === 0)
    fail('the spec has no "properties", a non-empty array of names');
  if (typeof spec.expected !== 'object' || spec.expected === null)
    fail('the spec has no "expected", design -> property -> outcome');
  if (typeof spec.model !== 'function') fail('the spec has no "model", a function from a design name to a Model');
  for (const key of ['designs', 'properties'] as const) {
    const names = spec[key] as string[];
    const twice = names.find((name, i) => names.indexOf(name) !== i);
    if (twice !== undefined) fail(`"${key}" names "${twice}" twice`, '; list each once');
  }
  const expected = spec.expected as Record<string, Record<string, unknown> | undefined>;
  for (const design of spec.designs as string[]) {
    for (const property of spec.properties as string[]) {
      const outcome = expected[design]?.[property];
      if (!statuses.includes(outcome as string)) {
        fail(
          `expected["${design}"]["${property}"] is ${outcome === undefined ? 'missing' : JSON.stringify(outcome)}`,
          `; give one of ${statuses.join(', ')}`,
        );
      }
    }
  }
  return value as Spec;
}

/** Builds the model of one design, checking the spec's properties exist in it. */
export function buildModel(loaded: LoadedSpec, design: string): Model<unknown, unknown> {
  const { spec, file } = loaded;
  if (!spec.designs.includes(design)) {
    throw new UsageError(
      `spec "${loaded.id}" has no design "${design}" (${didYouMean(design, spec.designs)}designs: ${spec.designs.join(', ')})`,
    );
  }
  let model: Model<unknown, unknown>;
  try {
    model = spec.model(design);
  } catch (error) {
    if (loaded.boundsOverride) {
      throw new UsageError(`--bound: design "${design}" cannot be built at these bounds: ${firstLine(error)}`, {
        cause: error,
      });
    }
    throw new SpecError(
      `${file}: model("${design}") threw: ${firstLine(error)} (fix the spec or the model; --debug shows the stack)`,
      { cause: error },
    );
  }
  if (
    !model ||
    typeof model.initStates !== 'function' ||
    typeof model.actions !== 'function' ||
    typeof model.nextState !== 'function' ||
    !Array.isArray(model.properties)
  ) {
    throw new SpecError(
      `${file}: model("${design}") did not return a Model (an object with initStates, actions, nextState, properties)`,
    );
  }
  const kinds = new Map<string, string>(model.properties.map((p) => [p.name, p.kind]));
  if (spec.options?.deadlock) kinds.set(NO_DEADLOCK, 'deadlock');
  for (const property of spec.properties) {
    const kind = kinds.get(property);
    if (kind === undefined) {
      throw new SpecError(
        `${file}: property "${property}" is not one of model "${model.name}"'s (${[...kinds.keys()].join(', ')}); fix the spec's "properties"`,
      );
    }
    // A witness is satisfied or not; anything else holds or is violated: another expectation can never be met.
    const possible = kind === 'sometimes' ? ['satisfied', 'unsatisfied'] : ['holds', 'violated'];
    const expected = spec.expected[design][property];
    if (!possible.includes(expected)) {
      throw new SpecError(
        `${file}: expected["${design}"]["${property}"] is "${expected}", which a ${kind} property never gives; expect ${possible.join(' or ')}`,
      );
    }
  }
  return model;
}
