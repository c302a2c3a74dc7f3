/**
 * The 1G HugeTLB series (RFC v2): a conversion to shared that fails mid-way. On TDX the 2M S-EPT
 * leaf the range covers in part is demoted first (kvm_split_cross_boundary_leafs ->
 * tdx_sept_split_private_spte, TDH.MEM.PAGE.DEMOTE), which may fail with -ENOMEM before anything
 * is stored; on every arch the allocator's split of the folio, after the store, may fail with
 * -ENOMEM, and kvm_gmem_convert_range rolls the executed work back. A vCPU fault races it.
 * Four pages: two 2-page huge pages; the range [0x1, 0x3) straddles both.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A failed split mid-conversion',
  question:
    'After a failed S-EPT demote or folio split, is the range as the conversion found it, with no huge entry over a split folio?',
  bounds: {
    pages: 4,
    initiallyShared: false,
    ranges: 'pairs',
    convertTo: 'shared',
    ops: { fault: 1, convert: 1, tdxRemoveFail: 1 },
  },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp', 'hugetlb-rfc-v2-tdx', 'hugetlb-no-rollback'],
  properties: [
    'failed-conversion-restores-range',
    'shared-pages-are-small',
    'no-huge-entry-over-split-folio',
    'restructure-with-refs-frozen',
    'huge-page-returns-whole',
    'conversion-all-or-nothing',
    'no-private-access-after-shared-conversion',
    'every-operation-ends',
    'no-deadlock',
    'huge-mapping-installed',
  ],
  unlike: {
    // Without the rollback the failed split leaves the work converted and the huge folio that
    // failed to split huge with a shared page in it. conversion-all-or-nothing still holds: it
    // judges a conversion by the attributes alone, and every one of them took the target.
    'hugetlb-no-rollback': {
      'failed-conversion-restores-range': 'violated',
      'shared-pages-are-small': 'violated',
    },
    // The series' conversion to shared makes no RMP entry shared (no arch hook; the split skips
    // ->free_folio): the 2M entry the fault's kvm_gmem_prepare_folio made stays over the split
    // folio. The page made shared keeps its guest-owned entry: a host access through the
    // mmap takes an RMP #PF.
    'hugetlb-rfc-v2-snp': {
      'no-huge-entry-over-split-folio': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
  },
});
