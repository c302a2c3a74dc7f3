/**
 * What every operation module shares: the shape of an action and of an operation, and small
 * helpers on threads. The context a step runs in and what it records are kernel/context.ts's.
 */
import type { Design } from '../design.ts';
import { rangesOf } from '../bounds.ts';
import type { GmemState, OpKind, Thread } from '../state.ts';
import { NO_THREAD_LOCALS, withThreads } from '../state.ts';
import type { Ctx, D } from '../kernel/context.ts';
import { gmemConversionRange, gmemInvalidateEnd } from '../kernel/mmu.ts';
import { freezeNew, produce } from '../draft.ts';

/** Which subsystem acts (a Mermaid participant). */
export type Actor = 'userspace' | 'guest_memfd' | 'KVM' | 'IOMMU' | 'arch';

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

/**
 * The action that runs `step` of `op` in `slot` with the operation's arguments (a thread, or a
 * start's arguments). One literal, fields in the order traces print them.
 */
export function actionOf(
  slot: number,
  op: OpKind,
  step: string,
  args: Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>,
): Action {
  return { slot, op, step, vm: args.vm, lo: args.lo, hi: args.hi, priv: args.priv, dom: args.dom, fail: false };
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
  const next = withThreads(s, threads);
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

export function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i < hi; i++) out.push(i);
  return out;
}

/** The arguments of an operation on the whole file of `vm`. */
export function wholeFile(vm: number, pages: number): Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'> {
  return { vm, lo: 0, hi: pages, priv: false, dom: 0 };
}

/** The VMs whose guest_memfd file is open: a syscall on the file can name it (fdget succeeds). */
export function openFiles(s: GmemState): number[] {
  const out: number[] = [];
  s.vms.forEach((v, vm) => {
    if (v.file === 'open') out.push(vm);
  });
  return out;
}

/**
 * The ranges an fallocate (allocate, PUNCH_HOLE) may name, through each open file on the inode:
 * the thread's `vm` is the VM whose file the syscall names (ksys_fallocate's fdget holds it until
 * the syscall returns, so close() cannot make that file's release start meanwhile: ops/close.ts).
 */
export function fallocateRanges(s: GmemState, ctx: Ctx): Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>[] {
  return openFiles(s).flatMap((vm) => rangesOf(ctx.bounds).map(([lo, hi]) => ({ vm, lo, hi, priv: false, dom: 0 })));
}

/** One start per index of VM 0's file that `ok` accepts (userspace's single-page operations). */
export function perIndex(
  pages: number,
  ok: (i: number) => boolean,
): Pick<Thread, 'vm' | 'lo' | 'hi' | 'priv' | 'dom'>[] {
  const out = [];
  for (let i = 0; i < pages; i++) if (ok(i)) out.push({ vm: 0, lo: i, hi: i + 1, priv: false, dom: 0 });
  return out;
}

/**
 * The end of a guest_memfd invalidation (conversion, PUNCH_HOLE, or a conversion that fails
 * after it began): kvm_gmem_invalidate_end() for every file, filemap_invalidate_unlock(), return.
 */
export function endGmemInvalidation(d: D, s: GmemState, slot: number, ctx: Ctx): void {
  // The VMs whose bindings the begin walked: a conversion's range as it began (whole folios in
  // the huge folio series), PUNCH_HOLE's own.
  const t = s.threads[slot]!;
  const [lo, hi] = t.op === 'convert' ? gmemConversionRange(t.lo, t.hi, ctx.bounds.pages, ctx) : [t.lo, t.hi];
  gmemInvalidateEnd(d, s, ctx, lo, hi);
  d.invalidateLock = -1;
  finish(d, slot);
}

/** kvm_gmem_invalidate_end() for every file; filemap_invalidate_unlock(). */
export const gmemInvalidateEndStep: StepFn = (s, _t, a, ctx) =>
  produce(s, (d) => {
    endGmemInvalidation(d, s, a.slot, ctx);
  });
