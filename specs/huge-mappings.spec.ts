/**
 * Huge mappings across mixed attributes. Two sources of huge SPTEs: shared memory behind the
 * memslot backed by THP (mainline, upstream-thp: kvm_mmu_max_mapping_level ->
 * host_pfn_mapping_level), where the straddling-hugepage race of 9129633d568e lives; and huge
 * guest_memfd folios (the huge folio series, hugepage-series), whose max_order is 0 once a
 * folio holds a shared page. The level is decided under mmu_lock from lpage_info's mixed flags,
 * which kvm_arch_post_set_memory_attributes writes after the attribute store.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Huge mappings across mixed attributes',
  question: 'Can a huge SPTE cover two pages whose attributes differ, or a page that was never zeroed?',
  bounds: { pages: 2, initiallyShared: true, ranges: 'all', ops: { fault: 1, convert: 1, punchHole: 1 } },
  designs: [
    'upstream-thp',
    'no-straddle-invalidation',
    'no-mixed-attributes-check',
    'hugepage-series',
    'huge-folio-not-split',
    'zero-one-page-of-folio',
  ],
  properties: [
    'mapping-level-fits',
    'zeroed-before-first-use',
    'no-shared-access-to-private',
    'no-private-access-after-shared-conversion',
    'no-stale-mapping-during-invalidation',
    'every-operation-ends',
    'no-deadlock',
    'huge-mapping-installed',
  ],
  unlike: {
    // The straddle race of 9129633d568e: a shared fault outside the converted gfn maps the THP
    // chunk huge between the zap and the mixed-flag update.
    'no-straddle-invalidation': {
      'mapping-level-fits': 'violated',
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
    },
    // Without 90b4fe17981e's mixed flag a shared fault maps huge across a private gfn.
    'no-mixed-attributes-check': {
      'mapping-level-fits': 'violated',
      'no-shared-access-to-private': 'violated',
    },
    // The 1G RFC v2 zeroes the punched half of a huge folio in place (a host write into a
    // private page), and PUNCH_HOLE invalidates only its exact range, so a fault next to it maps
    // the half being punched huge.
    'hugepage-series': {
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
    },
    'huge-folio-not-split': {
      'mapping-level-fits': 'violated',
      'no-shared-access-to-private': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
    },
    'zero-one-page-of-folio': {
      'zeroed-before-first-use': 'violated',
      'no-shared-access-to-private': 'violated',
      'no-stale-mapping-during-invalidation': 'violated',
    },
  },
});
