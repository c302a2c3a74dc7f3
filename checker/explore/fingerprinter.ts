/**
 * How a strategy fingerprints a state: symmetry first, then the model's fast encoding or the
 * generic one. The generic one specialises itself: the first LEARN_STATES states are hashed
 * generically while their shape is learned, then a fingerprinter compiled for that shape takes
 * over (shaped-fingerprint.ts); it gives the generic fingerprints, only faster.
 */
import { Hasher } from '../fingerprint.ts';
import type { CheckOptions, Model } from '../model.ts';
import { compileFingerprint, mergeShapes, shapeOf, type Shape, type ShapedFingerprint } from './shaped-fingerprint.ts';

/** States whose shape is learned before the fingerprinter is compiled. */
const LEARN_STATES = 64;

export interface Fingerprinter<S> {
  /** Leaves the fingerprint in hasher.hi / hasher.lo. */
  fingerprintOf(state: S): void;
  hasher: Hasher;
  symmetryReduced: boolean;
}

export function fingerprinter<S, A>(model: Model<S, A>, options: Pick<CheckOptions, 'symmetry' | 'fastEncoding'>): Fingerprinter<S> {
  const hasher = new Hasher();
  const encode = options.fastEncoding !== false && model.encode ? model.encode.bind(model) : undefined;
  const canonicalize = options.symmetry !== false && model.canonicalize ? model.canonicalize.bind(model) : undefined;
  const hash = encode ? encoded(hasher, encode) : specialising(hasher);
  const fingerprintOf = canonicalize ? (state: S): void => hash(canonicalize(state)) : hash;
  return { fingerprintOf, hasher, symmetryReduced: canonicalize !== undefined };
}

function encoded<S>(hasher: Hasher, encode: (state: S, out: Hasher) => void): (state: S) => void {
  return (state) => {
    hasher.reset();
    encode(state, hasher);
    hasher.finish();
  };
}

/** The generic encoding, learning the states' shape and then compiled for it. */
function specialising(hasher: Hasher): (state: unknown) => void {
  let shape: Shape | undefined;
  let learnt = 0;
  let compiled: ShapedFingerprint | undefined;
  return (state) => {
    if (compiled !== undefined) {
      compiled(state);
      return;
    }
    hasher.reset();
    hasher.value(state);
    hasher.finish();
    if (learnt < LEARN_STATES) {
      const s = shapeOf(state);
      shape = shape === undefined ? s : mergeShapes(shape, s);
      if (++learnt === LEARN_STATES) compiled = compileFingerprint(shape, hasher);
    }
  };
}
