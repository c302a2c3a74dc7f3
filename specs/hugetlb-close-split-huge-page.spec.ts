/**
 * The 1G HugeTLB series (RFC v2): the last close of the file while a vCPU fault holds
 * kvm_gmem_get_pfn's reference on a page of a split huge page. The inode's eviction truncates
 * the folios as they are (kvm_gmem_evict_inode -> kvm_gmem_truncate_inode_aligned_pages, whose
 * mapping_exiting() branch skips the merge); each split page comes back to its huge page through
 * guestmem_hugetlb's folio_put callback, which returns the huge page to HugeTLB once all of it
 * is free. Without the callback (hugetlb-no-put-callback) the page nobody holds goes to the buddy
 * allocator while the fault still holds the other. Two pages: one 2-page huge page.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Closing the file over a split huge page',
  question: 'When the file closes while KVM holds one page of a split huge page, does the huge page go back whole?',
  bounds: { pages: 2, initiallyShared: false, ranges: 'pages', ops: { fault: 1, convert: 1, close: 1 } },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp', 'hugetlb-rfc-v2-tdx', 'hugetlb-no-put-callback'],
  properties: [
    'huge-page-returns-whole',
    'shared-pages-are-small',
    'no-huge-entry-over-split-folio',
    'restructure-with-refs-frozen',
    'failed-conversion-restores-range',
    'no-mapping-of-freed-memory',
    'no-shared-access-to-private',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // The eviction frees the page no one holds at once, as an order-0 page; the fault's page
    // is still in use.
    'hugetlb-no-put-callback': { 'huge-page-returns-whole': 'violated' },
    // The series' conversion to shared makes no RMP entry shared (no arch hook; the split skips
    // ->free_folio): the 2M entry the fault's kvm_gmem_prepare_folio made stays over the split
    // folio.
    'hugetlb-rfc-v2-snp': { 'no-huge-entry-over-split-folio': 'violated' },
  },
});
