/**
 * The 1G HugeTLB series (RFC v2): a conversion to shared of part of a huge folio, and back to
 * private, racing a vCPU fault that maps the huge folio 2M. kvm_gmem_convert_range begins the
 * invalidation over the whole huge page before it stores the attributes, then splits the folio
 * (kvm_gmem_restructure_folios_in_range) once folio_ref_freeze sees only the filemap's
 * references; the conversion back merges it. Four pages: two 2-page huge pages.
 */
import { gmemSpec, type GmemSpecInput } from '../src/spec.ts';

/** The designs, properties and outcomes of this question, shared with its 1G form (specs/hugetlb-1g-split-racing-huge-mapping.spec.ts). */
export const splitRacingHugeMapping: Pick<GmemSpecInput, 'designs' | 'properties' | 'unlike'> = {
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
  // zeroed-before-first-use, in every design that maps the merged folio huge: the fault's
  // kvm_gmem_get_pfn runs after the conversion to shared, so kvm_gmem_get_folio splits the new
  // huge page at once and kvm_gmem_prepare_folio clears and marks uptodate only the faulting
  // page's order-0 folio; the retried fault, after the conversion back, finds the merged folio
  // uptodate (guestmem_hugetlb_merge_folio keeps the head's flags), skips kvm_gmem_prepare_folio
  // and maps the huge page 2M over a tail never cleared. SNP designs map it 4K (the head's RMP
  // entry is 4K), so only the head is mapped there (specs/hugetlb-merge-unprepared-tail).
  unlike: {
    'hugetlb-rfc-v2': { 'zeroed-before-first-use': 'violated' },
    // The series' conversion to shared makes no RMP entry shared (no arch hook; the split skips
    // ->free_folio): the 2M entry the fault made stays over the split folio, guest-owned under a
    // shared page, where a host access through the mmap takes an RMP #PF.
    'hugetlb-rfc-v2-snp': {
      'no-huge-entry-over-split-folio': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    'hugetlb-rfc-v2-tdx': { 'zeroed-before-first-use': 'violated' },
    // The invalidation covers only the converted gfn: a fault at the other gfn of the huge page
    // installs a 2M SPTE between should_proceed's zap and the store; the split then lands under it.
    'hugetlb-exact-invalidation': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
      'zeroed-before-first-use': 'violated',
    },
    'hugetlb-exact-invalidation-snp': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
    },
    // On TDX the 2M S-EPT entry also outlives the split (the demote ran before the fault mapped).
    'hugetlb-exact-invalidation-tdx': {
      'no-huge-entry-over-split-folio': 'violated',
      'mapping-level-fits': 'violated',
      'no-private-access-after-shared-conversion': 'violated',
      'zeroed-before-first-use': 'violated',
    },
    // The conversion leaves the folio huge; the next kvm_gmem_get_folio splits it.
    'hugetlb-split-at-fault': { 'shared-pages-are-small': 'violated', 'zeroed-before-first-use': 'violated' },
    // A try-freeze: the split gives up on the folio kvm_gmem_get_pfn's reference holds.
    'hugetlb-split-skips-referenced': {
      'shared-pages-are-small': 'violated',
      'zeroed-before-first-use': 'violated',
    },
    // No folio_ref_freeze: the split runs while kvm_gmem_get_pfn's reference is held.
    'hugetlb-restructure-with-refs': {
      'restructure-with-refs-frozen': 'violated',
      'zeroed-before-first-use': 'violated',
    },
  },
};

export default gmemSpec({
  title: 'Huge folio split racing a 2M mapping',
  question:
    'Can a conversion split or merge a huge folio under a fault that maps it huge, or leave a huge entry over the split folio?',
  bounds: { pages: 4, initiallyShared: false, ranges: 'pairs', ops: { fault: 1, convert: 2 } },
  ...splitRacingHugeMapping,
});
