/**
 * A conversion to private racing a userspace fault on the guest_memfd mmap, no pin: the fault
 * holds a folio reference from kvm_gmem_fault_user_mapping() (kvm_gmem_get_folio) to
 * finish_fault(), with invalidate_lock dropped in between (in-place series v7 patch 01). A
 * conversion that takes invalidate_lock in that window finds the reference after its
 * unmap_mapping_pages() and fails with -EAGAIN (kvm_gmem_is_safe_for_conversion, in-place series
 * v5 patch 11 "KVM: guest_memfd: Ensure pages are not in use before conversion"). One operation
 * at a time never meets it: a finished fault's reference is its PTE's, which the unmap drops.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'A conversion failing on a userspace fault in flight leaves the range as it was',
  question:
    'When a conversion to private of two pages meets the reference a userspace fault holds until finish_fault, is any page of the range converted anyway?',
  bounds: {
    pages: 2,
    inFlight: 2,
    ranges: 'all',
    convertTo: 'private',
    ops: { mmapFault: 1, convert: 1 },
    initiallyShared: true,
  },
  designs: ['in-place', 'conversion-per-index'],
  properties: ['conversion-all-or-nothing', 'no-shared-access-to-private'],
  unlike: {
    'conversion-per-index': {
      'conversion-all-or-nothing': 'violated',
    },
  },
});
