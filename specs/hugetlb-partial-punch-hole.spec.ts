/**
 * The 1G HugeTLB series (RFC v2): PUNCH_HOLE of half a huge page while the guest maps the other
 * half. kvm_gmem_truncate_inode_range zeroes a partial huge page in place (kvm_gmem_zero_range:
 * the pages stay in the file) and truncates a whole one only after merging it
 * (kvm_gmem_merge_truncate_indices, -EAGAIN while a page is referenced); the generic truncate
 * (split, then free the punched page) is the switch truncateZeroesPartialFolio false.
 * Four pages: two 2-page huge pages; ranges of one page and of two.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Punching half a huge page',
  question: 'Does a partial PUNCH_HOLE give part of a huge page back to the allocator, or write into a private page?',
  bounds: { pages: 4, initiallyShared: false, ranges: 'pairs', ops: { fault: 1, punchHole: 1, convert: 1 } },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp', 'hugetlb-rfc-v2-tdx', 'hugetlb-split-on-partial-truncate'],
  properties: [
    'huge-page-returns-whole',
    'no-huge-entry-over-split-folio',
    'shared-pages-are-small',
    'restructure-with-refs-frozen',
    'failed-conversion-restores-range',
    'no-shared-access-to-private',
    'no-mapping-of-freed-memory',
    'zeroed-before-first-use',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // kvm_gmem_zero_range zeroes the punched half in place whatever its shareability: a host
    // write into a private page (an RMP #PF on SNP, a poisoned TD page on TDX).
    'hugetlb-rfc-v2': { 'no-shared-access-to-private': 'violated' },
    'hugetlb-rfc-v2-snp': {
      'no-shared-access-to-private': 'violated',
      // The series' conversion to shared makes no RMP entry shared (no arch hook; the split skips
      // ->free_folio): the 2M entry the fault's kvm_gmem_prepare_folio made stays over the split
      // folio.
      'no-huge-entry-over-split-folio': 'violated',
    },
    'hugetlb-rfc-v2-tdx': { 'no-shared-access-to-private': 'violated' },
    // The generic truncate splits the huge folio under the vCPU fault's reference and frees the
    // punched page alone; PUNCH_HOLE invalidates its exact range, so the fault then maps the
    // split pair huge over a freed page.
    'hugetlb-split-on-partial-truncate': {
      'huge-page-returns-whole': 'violated',
      'no-huge-entry-over-split-folio': 'violated',
      'restructure-with-refs-frozen': 'violated',
      'no-mapping-of-freed-memory': 'violated',
    },
  },
});
