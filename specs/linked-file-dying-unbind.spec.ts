/**
 * Memslot deletion of a dying file racing PUNCH_HOLE through another file on the same inode.
 * kvm_gmem_unbind() (virt/kvm/guest_memfd.c, since ae431059e75d) stores NULL over a dying
 * file's bindings without filemap_invalidate_lock: with one file per inode no invalidation can
 * be in flight through that file (fallocate and the conversion ioctl hold it: ops/close.ts), and
 * kvm_gmem_release() waits for slots_lock. With a second file on the inode
 * (KVM_LINK_GUEST_MEMFD, an RFC), PUNCH_HOLE through file A walks every file of the inode
 * (kvm_gmem_invalidate_begin: kvm_gmem_for_each_file, the RFC's i_private_list): it raises the
 * mmu_invalidate_in_progress of file B's VM while B's last fput() has run and its release waits
 * for the invalidate_lock PUNCH_HOLE holds. B's VM deletes its memslot: the unbind takes no lock
 * and erases B's binding, and PUNCH_HOLE's kvm_gmem_invalidate_end() (xa_find on B's bindings)
 * finds nothing to end. B's release then finds no binding: the count stays raised, and every
 * later fault in the range retries (or, as the shortest trace has it, the killed source VM of
 * the migration is the one whose deletion runs: the same race with the files swapped).
 * A real race of the RFC on today's kernel, not of the model: the RFC v2 (2025-05) predates
 * ae431059e75d, and there its kvm_gmem_unbind() left a dying file's bindings alone (the
 * use-after-free unbind-skips-dying-file shows, specs/memslot-lifetime). Mainline has no second
 * file per inode, so `upstream` keeps the property. Taking the lock on a dying file too
 * (upstream-linking-dying-unbind-locked, a proposed fix) keeps it. Not modelled: mainline's
 * kvm_gmem_error_folio() (memory failure) also runs kvm_gmem_invalidate_begin / _end over the
 * inode's files, holding no file reference and invalidate_lock only shared, so by the same
 * reading it can race the lockless unbind of a dying file with one file per inode.
 */
import { gmemSpec } from '../src/spec.ts';

export default gmemSpec({
  title: 'Memslot deletion of a dying linked file racing PUNCH_HOLE through the other file',
  question:
    'With two files on one inode, can a memslot deleted while its file is dying leave mmu_invalidate_in_progress raised by a PUNCH_HOLE through the other file?',
  bounds: { vms: 2, pages: 1, inFlight: 3, ops: { link: 1, punchHole: 1, close: 1, unbind: 1 } },
  designs: ['upstream', 'upstream-linking', 'upstream-linking-dying-unbind-locked', 'context-layer', 'thread-proposal'],
  properties: ['invalidations-balanced', 'no-mapping-of-freed-memory', 'every-operation-ends', 'no-deadlock'],
  unlike: {
    'upstream-linking': { 'invalidations-balanced': 'violated' },
    'context-layer': { 'invalidations-balanced': 'violated' },
    'thread-proposal': { 'invalidations-balanced': 'violated' },
  },
});
