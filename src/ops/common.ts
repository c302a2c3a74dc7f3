/**
 * What every operation module shares: the context a step runs in, the record of what a step did
 * (read by the step properties), the shape of an operation, and small helpers on threads and
 * locks.
 */
import type { Draft } from 'immer';
import type { Bounds } from '../bounds.ts';
import type { Design } from '../design.ts';
import type { GmemState, OpKind, Thread } from '../state.ts';
import { NO_THREAD_LOCALS } from '../state.ts';
import { freezeNew } from './draft.ts';

export type D = Draft<GmemState>;

/** Which subsystem acts (a Mermaid participant). */
export type Actor = 'userspace' | 'guest_memfd' | 'KVM' | 'IOMMU' | 'arch';

/**
 * What one transition did, where the resulting state cannot say it: who called into the arch
 * layer, who prepared or mapped memory, which SPTEs a fault installed. Filled as the step runs
 * (`ctx.fx`), and kept by the model for the step properties of the edge just taken.
 */
export interface Effects {
  /** guest_memfd code wrote an arch table (kvm_arch_gmem_prepare / kvm_arch_gmem_invalidate). */
  gmemArch: boolean;
  /** guest_memfd code zeroed or prepared a folio outside a KVM-driven fault / populate. */
  gmemPrepare: boolean;
  /** guest_memfd code created a KVM or IOMMU mapping. */
  gmemMap: boolean;
  /** SPTEs a fault installed: the slot of the fault and what it mapped. */
  installs: { slot: number; vm: number; gfn: number; level: 0 | 1 }[];
  /** What populate wrote: the gfn, whether it was PRIVATE and its RMP entry unassigned. */
  populate: { gfn: number; private: boolean; unassigned: boolean } | null;
}

export function noEffects(): Effects {
  return { gmemArch: false, gmemPrepare: false, gmemMap: false, installs: [], populate: null };
}

export interface Ctx {
  readonly design: Design;
  readonly bounds: Bounds;
  /** Where the step records its effects (null: nobody will ask, as in the quiescence check). */
  readonly fx: Effects | null;
}

/** An action: start an operation in a free slot, or run the next step of the one in a slot. */
export interface Action {
  readonly slot: number;
  readonly op: OpKind;
  /** The step (kernel function) this action runs; equals the thread's pc, or the op's first step. */
  readonly step: string;
  readonly vm: number;
  readonly lo: number;
  readonly hi: number;
  readonly priv: boolean;
  readonly dom: number;
  /** TDX: the private SPTE removal this step performs fails (spends a `tdxRemoveFail`). */
  readonly fail: boolean;
}

export type StepFn = (s: GmemState, t: Thread, a: Action, ctx: Ctx) => GmemState | undefined;

/** One operation: how it starts and the steps of its state machine. */
export interface OpSpec {
  readonly op: OpKind;
  /** The design has this operation at all. */
  available(design: Design): boolean;
  /** The arguments it may start with in `s` (vm, lo, hi, priv, dom), in a deterministic order. */
  starts(s: GmemState, ctx: Ctx): Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>[];
  /** Its first step. */
  first(ctx: Ctx, args: Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>): string;
  readonly steps: Readonly<Record<string, StepFn>>;
  /** Who acts in a step. */
  actor(step: string, ctx: Ctx): Actor;
  /** The step may fail a TDX removal (the action then comes in two forms). */
  mayFailTdx?(step: string, ctx: Ctx): boolean;
}

export function newThread(op: OpKind, pc: string, args: Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>): Thread {
  // One literal, not `{ ...NO_THREAD_LOCALS, op, pc, ...args }`: a spread after named fields
  // takes V8's generic copy path, and this runs for every start the explorer tries. The keys
  // keep the order that spread gave them (traces print threads as they are).
  const { seq, pfn, level } = NO_THREAD_LOCALS;
  return { vm: args.vm, lo: args.lo, hi: args.hi, priv: args.priv, dom: args.dom, seq, pfn, level, op, pc };
}

/**
 * The steps that change nothing but their own thread (the fault's snapshot and attribute query,
 * among the most frequent steps) skip the draft: two plain copies cost a fraction of a produce.
 * `s` may be a start's fresh copy (model.ts): freezeNew freezes whatever is new.
 */
export function moveThread(s: GmemState, slot: number, thread: Thread | null): GmemState {
  const threads = s.threads.slice();
  threads[slot] = thread;
  const next: GmemState = { ...s, threads };
  freezeNew(next);
  return next;
}

/** Move thread `slot` to its next step. */
export function goto(d: D, slot: number, pc: string): void {
  (d.threads[slot] as Thread & { pc: string }).pc = pc;
}

/** The operation returns: its slot becomes free. */
export function finish(d: D, slot: number): void {
  d.threads[slot] = null;
}

/** Lock guards read the plain state: a step whose lock another thread holds is not enabled. */
export function lockFree(holder: number, slot: number): boolean {
  return holder === -1 || holder === slot;
}

export function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i < hi; i++) out.push(i);
  return out;
}

/** Is gfn / index `i` PRIVATE by the authoritative record: KVM's xarray or guest_memfd's own. */
export function isPrivate(s: GmemState, design: Design, vm: number, i: number): boolean {
  return design.attributes === 'vm' ? s.vms[vm].private[i] : !s.shared[i];
}

/** Does any in-flight thread of kind `op` satisfy `pred`? */
export function anyThread(s: GmemState, pred: (t: Thread) => boolean): boolean {
  return s.threads.some((t) => t !== null && pred(t));
}
