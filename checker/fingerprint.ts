/**
 * Canonical 64-bit fingerprints of plain data.
 *
 * The hasher is fed words directly (no byte buffer, no string), in two 32-bit lanes mixed the
 * way MurmurHash3 mixes its blocks, with different constants per lane, and finalised together
 * (fmix32 and a cross-add, as MurmurHash3 x86_128 does). Seeds are fixed, so a state's
 * fingerprint is the same on every run and can be pinned in tests.
 *
 * Canonical: two values that are equal as data hash alike whatever order their object keys,
 * Map entries or Set members were inserted in. Arrays are sequences (order matters); objects,
 * Maps and Sets are unordered collections: each entry is hashed on its own, from fresh lanes,
 * and the entries' hashes are summed, which is order-free without sorting anything.
 * Object keys whose value is `undefined` are skipped, as JSON skips them.
 */
import type { Encoder } from './model.ts';

// Seeds, tags and the per-word mixing are exported for the shape-specialised fingerprints
// (explore/shaped-fingerprint.ts), which must feed exactly the words this file feeds.
export const SEED_HI = 0x9747b28c | 0;
export const SEED_LO = 0x3c6ef372 | 0;

// Type tags keep values of different kinds apart (0 vs false vs null vs "" vs []).
export const TAG_UNDEFINED = 0x51;
export const TAG_NULL = 0x52;
export const TAG_FALSE = 0x53;
export const TAG_TRUE = 0x54;
export const TAG_INT = 0x55;
const TAG_FLOAT = 0x56;
export const TAG_STRING = 0x57;
export const TAG_ARRAY = 0x58;
export const TAG_OBJECT = 0x59;
const TAG_MAP = 0x5a;
const TAG_SET = 0x5b;
const TAG_BIGINT = 0x5c;

const floatScratch = new Float64Array(1);
const floatWords = new Int32Array(floatScratch.buffer);

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** A reusable hasher: reset, feed, then read `hi` and `lo` after `finish()`. */
export class Hasher implements Encoder {
  hi = SEED_HI;
  lo = SEED_LO;
  /** Words fed since the lanes were last fresh (part of the final mix). */
  words = 0;

  reset(): void {
    this.hi = SEED_HI;
    this.lo = SEED_LO;
    this.words = 0;
  }

  int(value: number): void {
    let k = Math.imul(value | 0, 0xcc9e2d51);
    k = rotl(k, 15);
    k = Math.imul(k, 0x1b873593);
    let h = this.hi ^ k;
    h = rotl(h, 13);
    this.hi = (Math.imul(h, 5) + 0xe6546b64) | 0;

    let m = Math.imul(value | 0, 0x239b961b);
    m = rotl(m, 16);
    m = Math.imul(m, 0xab0e9789);
    let g = this.lo ^ m;
    g = rotl(g, 17);
    this.lo = (Math.imul(g, 5) + 0x0bcaa747) | 0;
    this.words++;
  }

  number(value: number): void {
    if ((value | 0) === value && !(value === 0 && 1 / value < 0)) {
      this.int(TAG_INT);
      this.int(value);
    } else {
      floatScratch[0] = value;
      this.int(TAG_FLOAT);
      this.int(floatWords[0]);
      this.int(floatWords[1]);
    }
  }

  bool(value: boolean): void {
    this.int(value ? TAG_TRUE : TAG_FALSE);
  }

  str(value: string): void {
    const n = value.length;
    this.int(TAG_STRING);
    this.int(n);
    let i = 0;
    for (; i + 1 < n; i += 2) this.int(value.charCodeAt(i) | (value.charCodeAt(i + 1) << 16));
    if (i < n) this.int(value.charCodeAt(i));
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'number':
        this.number(v);
        return;
      case 'string':
        this.str(v);
        return;
      case 'boolean':
        this.bool(v);
        return;
      case 'undefined':
        this.int(TAG_UNDEFINED);
        return;
      case 'bigint':
        this.int(TAG_BIGINT);
        this.str(v.toString());
        return;
      case 'object':
        if (v === null) this.int(TAG_NULL);
        else if (Array.isArray(v)) this.array(v);
        else if (v instanceof Map) this.map(v);
        else if (v instanceof Set) this.set(v);
        else if (ArrayBuffer.isView(v)) this.array(v as unknown as ArrayLike<number>);
        else this.record(v as Record<string, unknown>);
        return;
      default:
        // Functions and symbols are not data: a model that puts them in a state is wrong.
        throw new TypeError(`gmemcheck: a state or action holds a ${typeof v}; states must be plain data`);
    }
  }

  private array(v: ArrayLike<unknown>): void {
    const n = v.length;
    this.int(TAG_ARRAY);
    this.int(n);
    for (let i = 0; i < n; i++) this.value(v[i]);
  }

  /** Hashes one entry from fresh lanes; the caller adds it to an order-free sum. */
  private entry(key: unknown, value: unknown, isKeyString: boolean): void {
    this.hi = SEED_HI;
    this.lo = SEED_LO;
    this.words = 0;
    if (isKeyString) {
      const k = keyWords(key as string);
      this.int(k[0]);
      this.int(k[1]);
    } else this.value(key);
    this.value(value);
    this.mixLanes();
  }

  private record(v: Record<string, unknown>): void {
    const saveHi = this.hi,
      saveLo = this.lo,
      saveWords = this.words;
    let sumHi = 0,
      sumLo = 0,
      n = 0;
    for (const key in v) {
      const value = v[key];
      if (value === undefined) continue;
      this.entry(key, value, true);
      sumHi = (sumHi + this.hi) | 0;
      sumLo = (sumLo + this.lo) | 0;
      n++;
    }
    this.hi = saveHi;
    this.lo = saveLo;
    this.words = saveWords;
    this.int(TAG_OBJECT);
    this.int(n);
    this.int(sumHi);
    this.int(sumLo);
  }

  private map(v: Map<unknown, unknown>): void {
    const saveHi = this.hi,
      saveLo = this.lo,
      saveWords = this.words;
    let sumHi = 0,
      sumLo = 0;
    for (const [key, value] of v) {
      this.entry(key, value, false);
      sumHi = (sumHi + this.hi) | 0;
      sumLo = (sumLo + this.lo) | 0;
    }
    this.hi = saveHi;
    this.lo = saveLo;
    this.words = saveWords;
    this.int(TAG_MAP);
    this.int(v.size);
    this.int(sumHi);
    this.int(sumLo);
  }

  private set(v: Set<unknown>): void {
    const saveHi = this.hi,
      saveLo = this.lo,
      saveWords = this.words;
    let sumHi = 0,
      sumLo = 0;
    for (const member of v) {
      this.hi = SEED_HI;
      this.lo = SEED_LO;
      this.words = 0;
      this.value(member);
      this.mixLanes();
      sumHi = (sumHi + this.hi) | 0;
      sumLo = (sumLo + this.lo) | 0;
    }
    this.hi = saveHi;
    this.lo = saveLo;
    this.words = saveWords;
    this.int(TAG_SET);
    this.int(v.size);
    this.int(sumHi);
    this.int(sumLo);
  }

  private mixLanes(): void {
    let h1 = this.hi ^ this.words;
    let h2 = this.lo ^ this.words;
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = (h1 + h2) | 0;
    h2 = (h2 + h1) | 0;
    this.hi = h1;
    this.lo = h2;
  }

  /** Ends the value: `hi` and `lo` now hold the fingerprint, never both zero (zero marks an empty slot). */
  finish(): void {
    this.mixLanes();
    if (this.hi === 0 && this.lo === 0) this.lo = 1;
  }
}

/**
 * Object keys are few (a model's field names) and met on every state: each is hashed once into
 * two words, cached, and those words stand for the key.
 */
const keyCache = new Map<string, readonly [number, number]>();
const keyHasher = new Hasher();
export function keyWords(key: string): readonly [number, number] {
  let words = keyCache.get(key);
  if (words === undefined) {
    keyHasher.reset();
    keyHasher.str(key);
    keyHasher.finish();
    words = [keyHasher.hi, keyHasher.lo] as const;
    if (keyCache.size < 100_000) keyCache.set(key, words);
  }
  return words;
}

const shared = new Hasher();

/** The canonical fingerprint of a plain value, as 16 hex digits. */
export function fingerprint(value: unknown): string {
  shared.reset();
  shared.value(value);
  shared.finish();
  return formatFingerprint(shared.hi, shared.lo);
}

export function formatFingerprint(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Structural equality of plain data through the canonical encoding. */
export function sameData(a: unknown, b: unknown): boolean {
  return fingerprint(a) === fingerprint(b);
}
