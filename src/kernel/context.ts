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
 * What one transition did, where the states before and after cannot say it: which SPTEs a fault
 * installed, what populate wrote. Filled as the step runs (`ctx.fx`), and kept by the model for
 * the step properties of the edge just taken.
 */
export interface Effects {
  /** SPTEs a fault installed: the slot of the fault and what it mapped. */
  installs: { slot: number; vm: number; gfn: number; level: 0 | 1 }[];
  /** What populate wrote: the gfn, the index its memslot binds there, whether it was PRIVATE and its RMP entry unassigned. */
  populate: { gfn: number; index: number; private: boolean; unassigned: boolean } | null;
  /** The first lpage_info read outside its memslot's 2M array: the VM, the memslot, the 2M page's gfn (kernel/lpage-info.ts). */
  lpageOutOfBounds: { vm: number; slot: number; gfn: number } | null;
}

export function noEffects(): Effects {
  return { installs: [], populate: null, lpageOutOfBounds: null };
}

export interface Ctx {
  readonly design: Design;
  readonly bounds: Bounds;
  /** Where the step records its effects (null: nobody will ask, as in the quiescence check). */
  readonly fx: Effects | null;
}
