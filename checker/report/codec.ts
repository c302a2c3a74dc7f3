/**
 * Plain data <-> the value encoding of the Informal Trace Format (ITF, ADR-015 of Apalache,
 * https://apalache-mc.org/docs/adr/015adr-trace.html), which Quint and Apalache read.
 *
 * | plain data                        | ITF                                   |
 * | --------------------------------- | ------------------------------------- |
 * | boolean, string                   | itself                                |
 * | safe integer (|n| < 2^53)         | a JSON number                         |
 * | bigint, or an integer beyond 2^53 | `{"#bigint": "n"}`                    |
 * | array                             | a JSON array (an ITF list)            |
 * | plain object                      | a record (keys holding undefined are dropped) |
 * | Map                               | `{"#map": [[k, v], ...]}`             |
 * | Set                               | `{"#set": [...]}`                     |
 * | null, undefined (in a list), NaN, | `{"#unserializable": "null"}`, ...    |
 * | ±Infinity, a non-integer number   |                                       |
 *
 * ADR-015's revision of 2023-09-14 writes every integer as `#bigint`; Quint still reads JSON
 * numbers ("for backwards compatibility"), and a JSON number keeps the trace readable and
 * decodes back to a `number`, so safe integers stay numbers here. A `number` beyond 2^53 has
 * no exact JSON form: it is written as the `#bigint` of the integer it holds and decodes as a
 * `bigint` (the one place the round trip changes a type; kernel models keep 64-bit values in
 * `bigint` anyway).
 *
 * `decode` inverts `encode` exactly, and also reads `#tup` (as an array) from other tools.
 * Object keys that begin with `#` are refused: ITF reserves them (`#meta`, the tags above).
 */

/** How `null` is written: ITF has no null (`#unserializable`); the json format keeps JSON's. */
export interface CodecOptions {
  nullAs: 'unserializable' | 'json';
}

const ITF: CodecOptions = { nullAs: 'unserializable' };

/** A value that cannot be encoded (a function, a class instance, a `#` key). */
export class EncodeError extends Error {}
/** An encoded value that is not of the format. */
export class DecodeError extends Error {}

export function encode(v: unknown, options: CodecOptions = ITF, path = 'value'): unknown {
  switch (typeof v) {
    case 'boolean':
    case 'string':
      return v;
    case 'number':
      if (Number.isSafeInteger(v) && !Object.is(v, -0)) return v;
      if (Number.isInteger(v)) return { '#bigint': BigInt(v).toString() };
      return { '#unserializable': String(Object.is(v, -0) ? '-0' : v) };
    case 'bigint':
      return { '#bigint': v.toString() };
    case 'undefined':
      return { '#unserializable': 'undefined' };
    case 'object':
      break;
    default:
      throw new EncodeError(`${path}: a ${typeof v} is not plain data; states and actions hold only data`);
  }
  if (v === null) return options.nullAs === 'json' ? null : { '#unserializable': 'null' };
  if (Array.isArray(v)) return v.map((x, i) => encode(x, options, `${path}[${i}]`));
  if (v instanceof Map) {
    return {
      '#map': [...v].map(([k, x], i) => [encode(k, options, `${path} key ${i}`), encode(x, options, `${path}[${i}]`)]),
    };
  }
  if (v instanceof Set) return { '#set': [...v].map((x, i) => encode(x, options, `${path} member ${i}`)) };
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    throw new EncodeError(
      `${path}: a ${proto?.constructor?.name ?? 'class'} instance is not plain data; use objects, arrays, Maps and Sets`,
    );
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.startsWith('#')) throw new EncodeError(`${path}: key "${k}" begins with '#', which ITF reserves; rename it`);
    if (x !== undefined) out[k] = encode(x, options, `${path}.${k}`);
  }
  return out;
}

const UNSERIALIZABLE: Record<string, unknown> = {
  null: null,
  undefined: undefined,
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0,
};

export function decode(v: unknown, path = 'value'): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map((x, i) => decode(x, `${path}[${i}]`));
  if (typeof v !== 'object') throw new DecodeError(`${path}: ${typeof v} is not a JSON value`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const tag = keys[0];
    const x = o[tag];
    switch (tag) {
      case '#bigint':
        if (typeof x !== 'string' || !/^-?\d+$/.test(x))
          throw new DecodeError(`${path}: #bigint must be a string of digits, not ${JSON.stringify(x)}`);
        return BigInt(x);
      case '#set':
        return new Set(list(x, tag, path).map((m, i) => decode(m, `${path} member ${i}`)));
      case '#tup':
        return list(x, tag, path).map((m, i) => decode(m, `${path}[${i}]`));
      case '#map':
        return new Map(
          list(x, tag, path).map((e, i) => {
            if (!Array.isArray(e) || e.length !== 2)
              throw new DecodeError(`${path}: #map entry ${i} must be a [key, value] pair`);
            return [decode(e[0], `${path} key ${i}`), decode(e[1], `${path}[${i}]`)];
          }),
        );
      case '#unserializable': {
        if (typeof x === 'string' && Object.hasOwn(UNSERIALIZABLE, x)) return UNSERIALIZABLE[x];
        const n = typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
        if (Number.isFinite(n)) return n;
        throw new DecodeError(
          `${path}: #unserializable ${JSON.stringify(x)} is not a value gmemcheck writes (null, undefined, NaN, a number)`,
        );
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (k.startsWith('#'))
      throw new DecodeError(`${path}: unknown ITF tag "${k}" (known: #bigint, #set, #tup, #map, #unserializable)`);
    out[k] = decode(o[k], `${path}.${k}`);
  }
  return out;
}

function list(x: unknown, tag: string, path: string): unknown[] {
  if (!Array.isArray(x)) throw new DecodeError(`${path}: ${tag} must hold an array`);
  return x;
}
