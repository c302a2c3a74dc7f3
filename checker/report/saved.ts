/**
 * A trace saved to a file (json or ITF), read back as plain data, so that `replaySaved` can
 * re-run it on today's model.
 */
import { DecodeError, encode, type CodecOptions } from './codec.ts';
import { TOOL_VERSION, type TraceContext } from './verdict.ts';

export interface SavedTrace {
  format: 'json' | 'itf';
  model: string;
  spec?: string;
  design?: string;
  property: string;
  /** `always`, `sometimes`, `eventually`, `step` or `deadlock`. */
  propertyKind: string;
  /** What the run found: `violated`, or `satisfied` for a `sometimes` witness. */
  status?: string;
  bounds?: Record<string, unknown>;
  toolVersion?: string;
  /** The initial state (plain data). */
  initial: unknown;
  /** The actions, in order (plain data, as the model produced them). */
  actions: unknown[];
  /** Every state, steps[0] included. */
  states: unknown[];
  /** For a lasso: the step the last state loops back to. */
  loopsBackTo?: number;
}

/** A saved trace that cannot be read; the message is one line: what is wrong and how to fix it. */
export class TraceFileError extends Error {
  override name = 'TraceFileError';
}

/** Builds a SavedTrace reader's error, prefixed with the file's name when known. */
export function fileError(fileName: string | undefined, what: string): TraceFileError {
  return new TraceFileError(`${fileName ? `${fileName}: ` : ''}${what}`);
}

/** Runs a decoder, turning its DecodeError into a TraceFileError that names the file. */
export function decoding<T>(fileName: string | undefined, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof DecodeError)
      throw fileError(fileName, `${e.message}; the file was edited or was not written by gmemcheck`);
    throw e;
  }
}

export function requireString(o: Record<string, unknown>, key: string, where: string, fileName?: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '')
    throw fileError(fileName, `${where}.${key} is missing or not a string; write the trace again with gmemcheck`);
  return v;
}

export function optionalString(
  o: Record<string, unknown>,
  key: string,
  where: string,
  fileName?: string,
): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw fileError(fileName, `${where}.${key} must be a string, not ${JSON.stringify(v)}`);
  return v;
}

export function optionalStep(v: unknown, states: number, where: string, fileName?: string): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= states) {
    throw fileError(fileName, `${where} must be a step between 0 and ${states - 1}, not ${JSON.stringify(v)}`);
  }
  return v as number;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The fields whose value is defined (a SavedTrace has no `key: undefined`). */
export function optionalFields<T extends Record<string, unknown>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Who wrote a saved trace, and of what: the fields both json and ITF carry, so replay can
 * rebuild the model. The bounds are encoded data, or (`json-text`) that data as JSON text.
 */
export function provenance(ctx: TraceContext, codec?: CodecOptions, bounds: 'data' | 'json-text' = 'data') {
  const encoded = ctx.bounds && encode(ctx.bounds, codec, 'bounds');
  return {
    tool: 'gmemcheck',
    toolVersion: ctx.toolVersion ?? TOOL_VERSION,
    model: ctx.model,
    ...optionalFields({
      spec: ctx.spec,
      design: ctx.design,
      bounds: bounds === 'json-text' && encoded ? JSON.stringify(encoded) : encoded,
    }),
  };
}
