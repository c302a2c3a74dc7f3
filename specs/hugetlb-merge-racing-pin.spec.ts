/**
 * The 1G HugeTLB series (RFC v2): a conversion back to private merges the split huge page
 * (kvm_gmem_try_merge_folio_in_filemap) once no index of it is shared, while userspace pins a
 * shared page (GUP) and a vCPU fault holds kvm_gmem_get_pfn's reference on the other page.
 * kvm_gmem_has_safe_refcount refuses the pinned work range (-EAGAIN); folio_ref_freeze waits for
 * the reference outside the work range. Four pages: two 2-page huge pages, all shared at first.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Huge folio merge racing a GUP pin',
  question:
    'Can a merge back to private run while a pin or KVM holds a page of the huge page, and does a refused conversion leave its range as it was?',
  bounds: {
    pages: 4,
    initiallyShared: true,
    ranges: 'pages',
    convertTo: 'private',
    ops: { fault: 1, convert: 2, pin: 1, unpin: 1 },
  },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp', 'hugetlb-rfc-v2-tdx', 'hugetlb-restructure-with-refs'],
  properties: [
    'restructure-with-refs-frozen',
    'failed-conversion-restores-range',
    'shared-pages-are-small',
    'no-huge-entry-over-split-folio',
    'huge-page-returns-whole',
    'no-shared-access-to-private',
    'every-operation-ends',
    'no-deadlock',
    'conversion-fails-with-eagain-on-pin',
  ],
  unlike: {
    // No folio_ref_freeze: the merge runs under the vCPU fault's reference to the other page.
    'hugetlb-restructure-with-refs': { 'restructure-with-refs-frozen': 'violated' },
  },
});
