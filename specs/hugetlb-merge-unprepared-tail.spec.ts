/**
 * The 1G HugeTLB series (RFC v2) on SNP: preparation after a merge. The series keeps its base's
 * preparation tracking: kvm_gmem_get_pfn() calls kvm_gmem_prepare_folio() (zero the folio,
 * kvm_arch_gmem_prepare -> sev_gmem_prepare, folio_mark_uptodate) only when the folio is not
 * uptodate, and a merged folio has its head page's flags (guestmem_hugetlb_merge_folio ->
 * prep_compound_page). A huge page allocated while one of its indices is shared is split at once;
 * a private fault then prepares only its own order-0 page. Converted back to private, the huge
 * page merges under that uptodate head, so the next fault on the tail finds the folio "prepared":
 * no zeroing, no rmp_make_private. Two pages: one 2-page huge page.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A tail page merged under a prepared head',
  question:
    'After a huge page merges back to private, is every page of it zeroed and assigned to the guest before KVM maps it?',
  bounds: { pages: 2, initiallyShared: false, ranges: 'pages', ops: { fault: 2, convert: 2 } },
  designs: ['hugetlb-rfc-v2', 'hugetlb-rfc-v2-snp'],
  properties: [
    'zeroed-before-first-use',
    'rmp-assigned-while-private-mapped',
    'rmp-entry-matches-mapping',
    'no-private-access-after-shared-conversion',
    'no-huge-entry-over-split-folio',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // The tail was never cleared (the split copied the head's flags before any fault; the fault
    // on the head cleared only its order-0 folio), and the merged folio is uptodate because its
    // head is: kvm_gmem_get_pfn skips kvm_gmem_prepare_folio and KVM maps the tail with stale
    // contents of the HugeTLB page.
    'hugetlb-rfc-v2': { 'zeroed-before-first-use': 'violated' },
    'hugetlb-rfc-v2-snp': {
      'zeroed-before-first-use': 'violated',
      // The same skipped kvm_gmem_prepare_folio leaves the tail's RMP entry hypervisor-owned
      // while KVM maps it private (at 4K: sev_gmem_max_mapping_level reads the tail's 4K
      // entry). The guest's private access to it takes an RMP #NPF on a hypervisor-owned page;
      // no later kvm_gmem_get_pfn prepares it while the folio stays uptodate.
      'rmp-assigned-while-private-mapped': 'violated',
      'rmp-entry-matches-mapping': 'violated',
      // The series' conversion to shared calls no arch hook and its split skips ->free_folio:
      // a page prepared while private keeps its guest-owned RMP entry once shared (a 2M entry
      // stays 2M over the split folio), so a host access through the mmap takes an RMP #PF.
      'no-private-access-after-shared-conversion': 'violated',
      'no-huge-entry-over-split-folio': 'violated',
    },
  },
});
