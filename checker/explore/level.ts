/**
 * A BFS level: its states, each taken once, in order, while it is expanded (a worker may first
 * give its last states to another, and receive some). ObjectLevel keeps them as they are;
 * PackedLevel packs them.
 *
 * The level being discovered, packed: states of a closed learnt shape (records and fixed-length
 * arrays of 32-bit integers, booleans and nulls) are kept as a few 32-bit words each in typed
 * arrays, SPIN's state vector, and rebuilt as plain data when their turn comes to be expanded.
 *
 * Why: a level can hold millions of states. As objects, each survives young-generation
 * collections, is copied into the old generation and traced by every full collection, and is
 * read back from wherever the heap put it; packed, the level is a few flat arrays the collector
 * never looks into, and the state rebuilt for its expansion is young, short-lived and in cache.
 *
 * Exactness: a state is packed only when it has the learnt shape exactly (the same record test
 * as the fingerprint's; arrays dense, of the learnt length; numbers 32-bit integers, not -0), so
 * the rebuilt state equals it as data: the same keys in the same order, the same values, plain
 * objects and arrays. A model's functions are pure over plain data, so they cannot tell them
 * apart. A state that does not fit is kept as it is.
 */
import { recordTest, widenShape, type Shape } from './shaped-fingerprint.ts';

export interface Level<S> {
  readonly length: number;
  /** State i, once: the level lets go of it. */
  take(i: number): S;
}

/** A level kept as objects, over `states` (which it empties as they are taken). */
export class ObjectLevel<S> implements Level<S> {
  constructor(readonly states: (S | undefined)[] = []) {}

  get length(): number {
    return this.states.length;
  }

  push(state: S): void {
    this.states.push(state);
  }

  take(i: number): S {
    const s = this.states[i] as S;
    this.states[i] = undefined;
    return s;
  }

  removeLast(count: number): S[] {
    return this.states.splice(this.states.length - count, count) as S[];
  }
}

/** States whose shape is learnt before the codec is compiled. */
const LEARN_STATES = 64;
/** Wider states are kept as objects: their pack and unpack would be too much code. */
const WIDTH_MAX = 1024;
const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
/** Spare chunks kept between levels, at most. */
const SPARE_MAX = 64;

type Pack = (state: unknown, words: Int32Array, at: number) => boolean;
type Unpack = (words: Int32Array, at: number) => unknown;

/** Learns the states' shape, then packs and unpacks states of it; shared by every level of a run. */
export class LevelCodec {
  /** `none`: the shape is not closed (strings, lists, Maps...): levels keep objects. */
  mode: 'learning' | 'packed' | 'none' = 'learning';
  width = 0;
  pack: Pack | undefined;
  unpack: Unpack | undefined;
  private shape: Shape | undefined;
  private learnt = 0;
  /** Chunks whose states were all taken, for the next level: new memory costs page faults and zeroing. */
  private readonly spare: Int32Array[] = [];

  chunk(): Int32Array {
    return this.spare.pop() ?? new Int32Array(this.width << CHUNK_BITS);
  }

  release(chunk: Int32Array): void {
    if (this.spare.length < SPARE_MAX) this.spare.push(chunk);
  }

  learn(state: unknown): void {
    this.shape = widenShape(this.shape, state);
    if (++this.learnt < LEARN_STATES) return;
    const compiled = compileCodec(this.shape);
    if (compiled === undefined) {
      this.mode = 'none';
      return;
    }
    this.width = compiled.width;
    this.pack = compiled.pack;
    this.unpack = compiled.unpack;
    this.mode = 'packed';
  }
}

/** An empty level: packed unless the states' shape proved not to be closed. */
export function newLevel<S>(codec: LevelCodec): ObjectLevel<S> | PackedLevel<S> {
  return codec.mode === 'none' ? new ObjectLevel<S>() : new PackedLevel<S>(codec);
}

/** One level: `push` while it is discovered, `take` each state once while it is expanded. */
export class PackedLevel<S> implements Level<S> {
  length = 0;
  private readonly chunks: (Int32Array | undefined)[] = [];
  /** States kept as objects: those met while learning, and those that do not fit. */
  private readonly objects = new Map<number, S>();

  constructor(private readonly codec: LevelCodec) {}

  push(state: S): void {
    const i = this.length++;
    const codec = this.codec;
    if (codec.mode === 'packed') {
      const c = i >>> CHUNK_BITS;
      const chunk = this.chunks[c] ?? (this.chunks[c] = codec.chunk());
      if (codec.pack!(state, chunk, (i & (CHUNK - 1)) * codec.width)) return;
    } else if (codec.mode === 'learning') codec.learn(state);
    this.objects.set(i, state);
  }

  take(i: number): S {
    const state = this.read(i);
    // Levels are taken in order: a chunk whose last state is taken is done with.
    if ((i & (CHUNK - 1)) === CHUNK - 1) {
      const c = i >>> CHUNK_BITS;
      const chunk = this.chunks[c];
      this.chunks[c] = undefined;
      if (chunk) this.codec.release(chunk);
    }
    return state;
  }

  /** The last `count` states, in order, out of the level (a worker gives them to another). */
  removeLast(count: number): S[] {
    const out: S[] = [];
    for (let i = this.length - count; i < this.length; i++) out.push(this.read(i));
    this.length -= count;
    return out;
  }

  private read(i: number): S {
    const objects = this.objects;
    if (objects.size > 0) {
      const s = objects.get(i);
      if (s !== undefined || objects.has(i)) {
        objects.delete(i);
        return s as S;
      }
    }
    return this.codec.unpack!(this.chunks[i >>> CHUNK_BITS]!, (i & (CHUNK - 1)) * this.codec.width) as S;
  }
}

/** Whether the codec can hold this shape: plain records, fixed-length arrays, numbers, booleans, null. */
function closed(shape: Shape): boolean {
  switch (shape.kind) {
    case 'number':
    case 'boolean':
    case 'null':
      return true;
    case 'tuple':
      return shape.items.every(closed);
    case 'record':
      return shape.proto === Object.prototype && shape.values.every(closed);
    default:
      return false;
  }
}

export function compileCodec(shape: Shape): { width: number; pack: Pack; unpack: Unpack } | undefined {
  if (!closed(shape)) return undefined;
  const constants: unknown[] = [Object.prototype];
  let width = 0;
  let names = 0;
  const fresh = (p: string) => `${p}${++names}`;
  const packCode = (s: Shape, x: string): string => {
    switch (s.kind) {
      case 'number': {
        const slot = width++;
        return `if (typeof ${x} !== 'number' || (${x} | 0) !== ${x} || (${x} === 0 && 1 / ${x} < 0)) return false; w[at + ${slot}] = ${x};`;
      }
      case 'boolean': {
        const slot = width++;
        return `if (${x} === true) w[at + ${slot}] = 1; else if (${x} === false) w[at + ${slot}] = 0; else return false;`;
      }
      case 'null':
        return `if (${x} !== null) return false;`;
      case 'tuple': {
        const items = s.items.map((item, i) => {
          const y = fresh('v');
          // A hole reads undefined, which no closed shape accepts: holes are refused below.
          return `const ${y} = ${x}[${i}]; ${packCode(item, y)}`;
        });
        return `if (!Array.isArray(${x}) || ${x}.length !== ${s.items.length}) return false;\n${items.join('\n')}`;
      }
      case 'record': {
        constants.push(s.keys);
        const keys = `c${constants.length - 1}`;
        const test = recordTest(x, s.keys, { keys, proto: 'c0', counter: fresh('i'), key: fresh('k') });
        const values = s.keys.map((k, j) => {
          const y = fresh('v');
          return `const ${y} = ${x}[${JSON.stringify(k)}]; ${packCode(s.values[j], y)}`;
        });
        return `if (!${test}) return false;\n${values.join('\n')}`;
      }
      default:
        throw new Error(`gmemcheck: no packing for a ${s.kind}`);
    }
  };
  let read = 0;
  const unpackCode = (s: Shape): string => {
    switch (s.kind) {
      case 'number':
        return `w[at + ${read++}]`;
      case 'boolean':
        return `w[at + ${read++}] !== 0`;
      case 'null':
        return 'null';
      case 'tuple':
        return `[${s.items.map(unpackCode).join(', ')}]`;
      case 'record':
        // A literal's `"__proto__": v` would set the prototype; computed, it is a key.
        return `{ ${s.keys.map((k, j) => `${k === '__proto__' ? `[${JSON.stringify(k)}]` : JSON.stringify(k)}: ${unpackCode(s.values[j])}`).join(', ')} }`;
      default:
        throw new Error(`gmemcheck: no unpacking for a ${s.kind}`);
    }
  };
  const pack = packCode(shape, 'v0');
  const unpack = unpackCode(shape);
  if (width > WIDTH_MAX) return undefined;
  const header = constants.map((_, i) => `const c${i} = C[${i}];`).join('\n');
  const make = new Function(
    'C',
    `${header}\nreturn [function pack(v0, w, at) {\n${pack}\nreturn true;\n}, function unpack(w, at) { return ${unpack}; }];`,
  ) as (c: unknown[]) => [Pack, Unpack];
  const [packFn, unpackFn] = make(constants);
  return { width: Math.max(width, 1), pack: packFn, unpack: unpackFn };
}
