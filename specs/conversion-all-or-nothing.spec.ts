/**
 * A conversion of several pages that meets an elevated refcount must fail as a whole: the
 * in-place series checks every folio's refcount before it stores any attribute.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A failed conversion leaves the range as it was',
  question:
    'When a conversion to private of two pages fails with EAGAIN on a pinned page, is any page of the range converted anyway?',
  bounds: { pages: 2, inFlight: 1, ranges: 'all', ops: { mmapFault: 1, pin: 1, convert: 1 }, initiallyShared: true },
  designs: ['in-place', 'thread-proposal', 'conversion-per-index'],
  properties: ['conversion-all-or-nothing', 'no-shared-access-to-private', 'conversion-fails-with-eagain-on-pin'],
  unlike: {
    'conversion-per-index': {
      'conversion-all-or-nothing': 'violated',
    },
  },
});
