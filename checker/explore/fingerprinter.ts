/**
 * How a strategy fingerprints a state: symmetry first, then the model's fast encoding or the
 * generic one. The generic one specialises itself: the first LEARN_STATES states are hashed
 * generically while their shape is learnt, then a fingerprinter compiled for that shape takes
 * over (shaped-fingerprint.ts); it gives the generic fingerprints, only faster.
 */
import { Hasher } from '../fingerprint.ts';
import type { CheckOptions, Model } from '../model.ts';
import {
  compileFingerprint,
  widenShape,
  type Mismatches,
  type Shape,
  type ShapedFingerprint,
} from './shaped-fingerprint.ts';

/** States whose shape is learnt before the fingerprinter is compiled. */
const LEARN_STATES = 64;
/** How often the compiled fingerprinter's mismatches are looked at, in states. */
const LOOK_EVERY = 4096;
const RELEARN_MAX = 4;

export interface Fingerprinter<S> {
  /** Leaves the fingerprint in hasher.hi / hasher.lo. */
  fingerprintOf(state: S): void;
  hasher: Hasher;
  symmetryReduced: boolean;
  /** The shape the generic encoding is compiled for at the moment, if it is (for tests and profiles). */
  compiledFor(): Shape | undefined;
}

export function fingerprinter<S, A>(
  model: Model<S, A>,
  options: Pick<CheckOptions, 'symmetry' | 'fastEncoding'>,
): Fingerprinter<S> {
  const hasher = new Hasher();
  const encode = options.fastEncoding !== false && model.encode ? model.encode.bind(model) : undefined;
  const canonicalize = options.symmetry !== false && model.canonicalize ? model.canonicalize.bind(model) : undefined;
  const generic = encode ? undefined : specialising(hasher);
  const hash = encode ? encoded(hasher, encode) : generic!.hash;
  const fingerprintOf = canonicalize ? (state: S): void => hash(canonicalize(state)) : hash;
  return {
    fingerprintOf,
    hasher,
    symmetryReduced: canonicalize !== undefined,
    compiledFor: generic ? generic.shape : () => undefined,
  };
}

function encoded<S>(hasher: Hasher, encode: (state: S, out: Hasher) => void): (state: S) => void {
  return (state) => {
    hasher.reset();
    encode(state, hasher);
    hasher.finish();
  };
}

/**
 * The generic encoding, learning the states' shape and then compiled for it. When more than a
 * quarter of the states met since the last look stray from the shape (a list that grew past the
 * lengths first seen, a field first null and later an object), the next LEARN_STATES states are
 * learnt into the shape, which only widens, and it is compiled again, at most RELEARN_MAX times.
 */
function specialising(hasher: Hasher): { hash: (state: unknown) => void; shape: () => Shape | undefined } {
  let shape: Shape | undefined;
  let learnt = 0;
  let relearnt = 0;
  let compiled: ShapedFingerprint | undefined;
  const mismatches: Mismatches = { count: 0 };
  let sinceLook = 0;
  const hash = (state: unknown): void => {
    if (compiled !== undefined) {
      compiled(state);
      if (++sinceLook === LOOK_EVERY) {
        if (mismatches.count * 4 > LOOK_EVERY && relearnt < RELEARN_MAX) {
          relearnt++;
          learnt = 0;
          compiled = undefined;
        }
        sinceLook = 0;
        mismatches.count = 0;
      }
      return;
    }
    hasher.reset();
    hasher.value(state);
    hasher.finish();
    if (learnt < LEARN_STATES) {
      shape = widenShape(shape, state);
      if (++learnt === LEARN_STATES) compiled = compileFingerprint(shape, hasher, mismatches);
    }
  };
  return { hash, shape: () => (compiled ? shape : undefined) };
}
