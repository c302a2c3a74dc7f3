/**
 * In place, shared pages are the guest_memfd folios themselves: userspace maps them, VFIO pins
 * them, the IOMMU maps them. A conversion to private must take every such access away first
 * (unmap_mapping_pages, then the refcount check that fails with EAGAIN) and tell the IOMMU.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Shared access to private memory',
  question:
    'Can a userspace mapping, a GUP pin or an IOMMU mapping still reach a page after its conversion to private completed?',
  bounds: {
    pages: 2,
    inFlight: 3,
    ops: { mmapFault: 1, pin: 1, unpin: 1, convert: 2, iommuMap: 1 },
    initiallyShared: true,
  },
  designs: [
    'in-place',
    'in-place-iommu',
    'thread-proposal',
    'thread-proposal-iommu-unassigned',
    'thread-proposal-iommu-map-unlocked',
    'no-refcount-check',
    'no-unmap-on-convert',
    'no-refcount-check-no-unmap',
    'iommu-no-notify',
  ],
  properties: [
    'no-shared-access-to-private',
    'conversion-all-or-nothing',
    'no-mapping-of-freed-memory',
    'private-iommu-maps-tee-page',
    'every-operation-ends',
    'no-deadlock',
    'conversion-fails-with-eagain-on-pin',
  ],
  unlike: {
    // The thread does not say who makes a page the IOMMU maps private the guest's. As stated
    // (arch work "via KVM/IOMMU"), thread-proposal's IOMMU layer assigns it and keeps the
    // property; read so that nobody on that path assigns it (KVM's rmp_make_private runs only at
    // a vCPU fault), the device's private mapping points at a hypervisor-owned page.
    'thread-proposal-iommu-unassigned': {
      'private-iommu-maps-tee-page': 'violated',
    },
    // Only a race: the IOMMU map's page looked up (and assigned) under invalidate_lock shared,
    // then a conversion to shared takes the lock, finds no IOMMU mapping to invalidate and
    // reclaims the RMP entry, and the map lands after it on a hypervisor-owned page. The
    // lookup's folio reference keeps the reverse race (a shared map after a conversion to
    // private) out: the conversion's refcount check fails with EAGAIN.
    'thread-proposal-iommu-map-unlocked': {
      'private-iommu-maps-tee-page': 'violated',
    },
    // Without the refcount check no conversion fails, hence no EAGAIN witness. The shortest
    // break is a race, no pin needed: the userspace fault drops invalidate_lock after
    // kvm_gmem_get_folio and installs its PTE in finish_fault after the conversion's unmap
    // (in-place series v7 patch 01); only the fault's folio reference would have stopped it.
    'no-refcount-check': {
      'no-shared-access-to-private': 'violated',
      'conversion-fails-with-eagain-on-pin': 'unsatisfied',
    },
    'no-refcount-check-no-unmap': {
      'no-shared-access-to-private': 'violated',
      'conversion-fails-with-eagain-on-pin': 'unsatisfied',
    },
    'iommu-no-notify': {
      'no-shared-access-to-private': 'violated',
    },
  },
});
