/**
 * Huge folios in place: a 2-page folio may be mapped at the huge level only while both pages
 * have one attribute; the level is min(fault max, folio order, arch level) and the hugepage
 * mixed flags, and the invalidation must cover hugepage chunks straddling a converted range.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Huge mappings across mixed attributes',
  question: 'Can a huge SPTE cover two pages whose attributes differ, or a page that was never zeroed?',
  bounds: { pages: 2, ops: { fault: 1, convert: 1, punchHole: 1 }, faultType: 'private', convertTo: 'shared' },
  designs: ['in-place', 'level-not-min-of-caps', 'no-straddle-invalidation', 'truncate-zeroes-partial-folio', 'zero-one-page-of-folio'],
  properties: [
    'mapping-level-fits', 'zeroed-before-first-use', 'no-shared-access-to-private',
    'no-private-access-after-shared-conversion', 'every-operation-ends', 'no-deadlock', 'huge-mapping-installed',
  ],
  unlike: {
    'level-not-min-of-caps': {
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    'no-straddle-invalidation': {
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    'truncate-zeroes-partial-folio': {
      'no-shared-access-to-private': 'violated',
    },
    'zero-one-page-of-folio': {
      'zeroed-before-first-use': 'violated',
    },
  },
});
