/**
 * The sleeping locks the model keeps as state: `mmap_lock`, the filemap `invalidate_lock` and
 * `kvm->slots_lock`, each a holder slot (-1: free). `mmu_lock` is never held across steps (every
 * `mmu_lock` critical section is one step), so it is not a field. `invalidate_lock` readers are
 * never held across steps either: a shared acquisition only needs no writer. `mmap_lock` is
 * exclusive: with rwsem writer fairness a queued writer makes read-vs-read order deadlock.
 */

/** Lock guards read the plain state: a step whose lock another thread holds is not enabled. */
export function lockFree(holder: number, slot: number): boolean {
  return holder === -1 || holder === slot;
}
