/**
 * What every kernel primitive and operation step is handed: the design and bounds it runs
 * under, the draft of the state it changes, and the record of what the step did (read by the
 * step properties).
 */
import type { Draft } from 'immer';
import type { Bounds } from '../bounds.ts';
import type { Design } from '../design.ts';
import type { GmemState } from '../state.ts';

/** The state being changed inside one step's `produce`. */
export type D = Draft<GmemState>;

/**
 * The layer whose code made an arch call: guest_memfd's own (kvm_gmem_prepare_folio ->
 * kvm_arch_gmem_prepare, kvm_gmem_free_folio -> kvm_arch_gmem_invalidate), KVM's (its MMU, its
 * handler of guest_memfd's invalidation or free notification, the post_populate callback it
 * hands kvm_gmem_populate), the IOMMU layer's, or the arch's own work item.
 */
export type ArchCaller = 'guest_memfd' | 'KVM' | 'IOMMU' | 'arch';

/** One arch table entry a step wrote, and whose code wrote it. */
export interface ArchWrite {
  by: ArchCaller;
  table: 'RMP' | 'S-EPT';
  pfn: number;
}

/**
 * What one transition did, where the states before and after cannot say it: which SPTEs a fault
 * installed, what populate wrote, which layer wrote each arch entry. Filled as the step runs
 * (`ctx.fx`), and kept by the model for the step properties of the edge just taken.
 */
export interface Effects {
  /** SPTEs a fault installed: the slot of the fault and what it mapped. */
  installs: { slot: number; vm: number; gfn: number; level: 0 | 1 }[];
  /** What populate wrote: the gfn, the index its memslot binds there, whether it was PRIVATE and its RMP entry unassigned. */
  populate: { gfn: number; index: number; private: boolean; unassigned: boolean } | null;
  /** The first lpage_info read outside its memslot's 2M array: the VM, the memslot, the 2M page's gfn (kernel/lpage-info.ts). */
  lpageOutOfBounds: { vm: number; slot: number; gfn: number } | null;
  /**
   * RMP entries the step changed (assigned, reclaimed, split, queued for reclaim) and S-EPT
   * entries it added, each with the layer whose code made the call (kernel/snp.ts, tdx.ts).
   */
  archWrites: ArchWrite[];
}

export function noEffects(): Effects {
  return { installs: [], populate: null, lpageOutOfBounds: null, archWrites: [] };
}

export interface Ctx {
  readonly design: Design;
  readonly bounds: Bounds;
  /** Where the step records its effects (null: nobody will ask, as in the quiescence check). */
  readonly fx: Effects | null;
}
