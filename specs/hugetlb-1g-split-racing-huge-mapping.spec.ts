/**
 * The 1G HugeTLB series (RFC v2) at its own page size: one huge page of 4 pages (folioPages 4,
 * the model's one huge level standing for the 1G page), a conversion to shared of part of it,
 * and back to private, racing a vCPU fault that maps the huge folio huge. The question of
 * hugetlb-split-racing-huge-mapping (two 2-page huge pages) inside one huge page: the conversion
 * of one or two indices must begin the invalidation over all four gfns
 * (kvm_gmem_compute_invalidate_start / _end round to the folio), split the whole folio once
 * folio_ref_freeze sees only the filemap's references, and on TDX demote the huge S-EPT leaf the
 * range covers in part. 1 VM, 2 operations in flight.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A 1G folio split racing a 1G mapping',
  question:
    'With one 4-page huge folio (the 1G page), can a conversion of part of it split or merge it under a fault that maps it huge, or leave a huge entry over the split folio?',
  bounds: { pages: 4, folioPages: 4, initiallyShared: false, ranges: 'pairs', ops: { fault: 1, convert: 2 } },
  designs: [
    'hugetlb-rfc-v2',
    'hugetlb-rfc-v2-snp',
    'hugetlb-rfc-v2-tdx',
    'hugetlb-exact-invalidation',
    'hugetlb-exact-invalidation-snp',
    'hugetlb-exact-invalidation-tdx',
    'hugetlb-split-at-fault',
    'hugetlb-split-skips-referenced',
    'hugetlb-restructure-with-refs',
  ],
  properties: [
    'shared-pages-are-small',
    'no-huge-entry-over-split-folio',
    'restructure-with-refs-frozen',
    'huge-page-returns-whole',
    'failed-conversion-restores-range',
    'mapping-level-fits',
    'no-shared-access-to-private',
    'no-private-access-after-shared-conversion',
    'zeroed-before-first-use',
    'every-operation-ends',
    'no-deadlock',
    'huge-mapping-installed',
  ],
  unlike: {
    // The invalidation covers only the converted gfns: a fault at another gfn of the huge page
    // installs a huge SPTE between should_proceed's zap and the store; the split lands under it.
    'hugetlb-exact-invalidation': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    'hugetlb-exact-invalidation-snp': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    // On TDX the huge S-EPT entry also outlives the split (the demote ran before the fault mapped).
    'hugetlb-exact-invalidation-tdx': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    // The conversion leaves the folio huge; the next kvm_gmem_get_folio splits it.
    'hugetlb-split-at-fault': { 'shared-pages-are-small': 'violated' },
    // A try-freeze: the split gives up on the folio kvm_gmem_get_pfn's reference holds.
    'hugetlb-split-skips-referenced': { 'shared-pages-are-small': 'violated' },
    // No folio_ref_freeze: the split runs while kvm_gmem_get_pfn's reference is held.
    'hugetlb-restructure-with-refs': { 'restructure-with-refs-frozen': 'violated' },
  },
});
