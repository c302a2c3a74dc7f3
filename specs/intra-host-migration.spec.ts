/**
 * Intra-host migration: KVM_LINK_GUEST_MEMFD gives a second VM a file on the same inode, then
 * the first VM is destroyed. The memory lives with the inode; the question of the thread is
 * whose lifetime the RMP entries follow when the first VM's bindings go away. Mainline refuses
 * SNP intra-host migration (sev_vm_move_enc_context_from: -EINVAL for an SNP source) and
 * KVM_LINK_GUEST_MEMFD is an RFC: every design here is a proposal; the move is modelled as for
 * SEV / SEV-ES (the ASID moves, the source VM is killed with kvm_vm_dead).
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Intra-host migration through a linked file',
  question:
    'When a file is linked to a second VM, a hole is punched and both VMs go away, does every private mapping keep an RMP entry assigned to its VM, and every freed page a hypervisor-owned one?',
  bounds: { vms: 2, pages: 1, ops: { fault: 1, link: 1, punchHole: 1, close: 2, destroyVm: 2 }, faultType: 'private' },
  designs: ['upstream-linking', 'thread-proposal', 'thread-proposal-literal', 'thread-proposal-folio-rmp'],
  properties: [
    'rmp-assigned-while-private-mapped',
    'rmp-entry-matches-mapping',
    'rmp-removed-on-last-reference',
    'no-mapping-of-freed-memory',
    'every-operation-ends',
    'no-deadlock',
    'file-outlives-its-vm-through-link',
  ],
  unlike: {
    // thread-proposal (as stated) keeps every property: the first VM's release reclaims only
    // entries of its own ASID, which moved to the second VM with the encryption context, and a
    // punched page stays with the file until the binding holding its ASID ends. Read literally
    // (thread-proposal-literal), the release reclaims every assigned entry of the file while
    // the second VM still maps the page private through the linked file, and PUNCH_HOLE frees
    // a page still assigned.
    'thread-proposal-literal': {
      'rmp-assigned-while-private-mapped': 'violated',
      'rmp-entry-matches-mapping': 'violated',
      'rmp-removed-on-last-reference': 'violated',
    },
  },
});
