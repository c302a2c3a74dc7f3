/**
 * TDX: tdx_sept_remove_private_spte() must BLOCK, TRACK, TDH.MEM.PAGE.REMOVE, WBINVD and clear a
 * page before the host reuses it. The mirror SPTE and the S-EPT entry must agree.
 *
 * A failed removal bugs the VM (KVM_BUG_ON) and leaves the S-EPT entry and the TD data. Since
 * ce7b5695397b ("KVM: TDX: Drop superfluous page pinning in S-EPT management") KVM holds no page
 * reference, so PUNCH_HOLE then frees the page to the allocator while the S-EPT still maps it:
 * the kernel accepts that window ("there is a potential window that a private page mapped in
 * the S-EPT could be reallocated and used outside the VM, the loud warning from KVM_BUG_ON()
 * should provide sufficient debug information. To be robust against bugs, the user can enable
 * panic_on_warn"). So upstream-tdx and in-place-tdx break tdx-page-removed-and-cleared-before-free
 * by design of that commit, and tdx-pins-pages (the kernel before it: every mapped private page
 * pinned, a failed removal leaks it) keeps it. In-place conversions carry on past a failed
 * removal (kvm_gmem_invalidate_begin is void), which in-place-tdx models. tdx-premap is the
 * kernel between ce7b5695397b and 6b5b71ffabf9 (no pins, mirror SPTE before PAGE.ADD).
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'TDX page removal and clearing',
  question: 'Can a TD page reach the host allocator without being removed from the S-EPT and cleared?',
  bounds: {
    pages: 2,
    ops: { fault: 1, convert: 1, punchHole: 1, tdxRemoveFail: 1, populate: 1 },
    faultType: 'private',
  },
  designs: ['upstream-tdx', 'in-place-tdx', 'tdx-pins-pages', 'tdx-premap'],
  properties: [
    'tdx-page-removed-and-cleared-before-free',
    'tdx-mirror-matches-sept',
    'invalidations-balanced',
    'no-private-access-after-shared-conversion',
    'every-operation-ends',
    'no-deadlock',
  ],
  unlike: {
    // The window ce7b5695397b accepts: a failed removal, then PUNCH_HOLE frees the page the
    // S-EPT still maps (the VM is bugged; nothing keeps guest_memfd from freeing).
    'upstream-tdx': {
      'tdx-page-removed-and-cleared-before-free': 'violated',
    },
    'in-place-tdx': {
      'tdx-page-removed-and-cleared-before-free': 'violated',
    },
    'tdx-premap': {
      'tdx-page-removed-and-cleared-before-free': 'violated',
      'tdx-mirror-matches-sept': 'violated',
    },
  },
});
