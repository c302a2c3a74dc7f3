/**
 * Intra-host migration: KVM_LINK_GUEST_MEMFD gives a second VM a file on the same inode, then
 * the first VM is destroyed. The memory lives with the inode; the question of the thread is
 * whose lifetime the RMP entries follow when the first VM's bindings go away.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Intra-host migration through a linked file',
  question: 'When a file is linked to a second VM and the first VM is destroyed, does every private mapping keep an RMP entry assigned to its VM?',
  bounds: { vms: 2, pages: 1, ops: { fault: 1, link: 1, close: 1, destroyVm: 1 }, faultType: 'private' },
  designs: ['upstream-linking', 'thread-proposal', 'thread-proposal-folio-rmp'],
  properties: [
    'rmp-assigned-while-private-mapped', 'rmp-removed-on-last-reference', 'no-mapping-of-freed-memory',
    'every-operation-ends', 'no-deadlock', 'file-outlives-its-vm-through-link',
  ],
  unlike: {
    // Unbinding the first VM's memslots reclaims the RMP entries (lifetime tied to the
    // binding) while the second VM still maps the page private through the linked file.
    'thread-proposal': {
      'rmp-assigned-while-private-mapped': 'violated',
    },
  },
});
