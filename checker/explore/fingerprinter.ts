/** How a strategy fingerprints a state: symmetry first, then the model's fast encoding or the generic one. */
import { Hasher } from '../fingerprint.ts';
import type { CheckOptions, Model } from '../model.ts';

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
  const fingerprintOf = (state: S): void => {
    const s = canonicalize ? canonicalize(state) : state;
    hasher.reset();
    if (encode) encode(s, hasher);
    else hasher.value(s);
    hasher.finish();
  };
  return { fingerprintOf, hasher, symmetryReduced: canonicalize !== undefined };
}
