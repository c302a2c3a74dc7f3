/**
 * The sleeping locks the model keeps as state: `mmap_lock` and the filemap `invalidate_lock`
 * (rw_semaphores) and `kvm->slots_lock` (a mutex). A holder field is a thread slot (-1: free).
 * `mmu_lock` is never held across steps (every `mmu_lock` critical section is one step), so it is
 * not a field. No lock is recursive: a thread that asks for a lock it already holds waits for
 * itself (down_read() under down_write() of the same rwsem deadlocks), so a guard never treats
 * its own slot as free, and a step that runs with a lock its thread took earlier does not take it
 * again.
 *
 * invalidate_lock: every shared section (kvm_gmem_get_pfn in the in-place series, the in-place
 * userspace fault's first half, kvm_gmem_allocate, the IOMMU map) is one step, so readers never
 * hold it between states: a shared acquisition needs no writer, an exclusive one no writer either.
 * mmap_lock: readers are held across steps (the userspace fault), so they are a bitmask, and
 * writers queue: rwsems are writer-fair, a writer waiting in down_write() blocks later readers
 * (kernel/locking/rwsem.c: a reader finding waiters queues behind them). A reader blocked on a
 * writer that holds the lock also waits behind a writer queued after it (departure: the kernel
 * would wake the earlier reader first; it needs two writers, and only munmap writes here).
 */
import type { GmemState } from '../state.ts';

/** A mutex, or an rwsem taken exclusive where it has no readers between states: nobody holds it. */
export function lockFree(holder: number): boolean {
  return holder === -1;
}

export function slotBit(slot: number): number {
  return 1 << slot;
}

/** mmap_read_lock() can be granted: no writer holds it and none is queued. */
export function mmapReadable(s: GmemState): boolean {
  return s.mmapLock === -1 && s.mmapWritersQueued === 0;
}

/** mmap_write_lock() can be granted: no writer, no reader. */
export function mmapWritable(s: GmemState): boolean {
  return s.mmapLock === -1 && s.mmapReaders === 0;
}
