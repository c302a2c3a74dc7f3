/**
 * The 1G HugeTLB series (RFC v2): a conversion to private whose work list has two items, while
 * a vCPU fault holds kvm_gmem_get_pfn's reference on a page of the second. kvm_gmem_convert_range
 * runs kvm_gmem_convert_should_proceed (kvm_gmem_has_safe_refcount) for every item before it
 * stores any, so the -EAGAIN leaves the range as it was; checked per item inside the execute
 * loop (hugetlb-refcount-check-per-item), the first item is stored before the second refuses.
 * Four pages: two 2-page huge pages, all shared at first; ranges of one page and the whole file.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A conversion refused mid-way by a fault',
  question:
    "When a racing fault's reference makes a conversion to private fail with -EAGAIN, is every work item as it was?",
  bounds: {
    pages: 4,
    initiallyShared: true,
    ranges: 'all',
    convertTo: 'private',
    ops: { fault: 1, convert: 2 },
  },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp', 'hugetlb-rfc-v2-tdx', 'hugetlb-refcount-check-per-item'],
  properties: [
    'failed-conversion-restores-range',
    'shared-pages-are-small',
    'no-huge-entry-over-split-folio',
    'restructure-with-refs-frozen',
    'huge-page-returns-whole',
    'no-shared-access-to-private',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // The first item (index 0x0) is stored before the second's check sees the fault's
    // reference; -EAGAIN goes to invalidate_end past the rollback.
    'hugetlb-refcount-check-per-item': { 'failed-conversion-restores-range': 'violated' },
  },
});
