/**
 * Conversion: a conversion that fails leaves its range as it found it.
 */
import { isPrivate, isPrivateGfn } from '../kernel/attributes.ts';
import type { StepProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { gfn, kind, span } from './queries.ts';
import { hex } from '../state.ts';

/**
 * A conversion that returns with its range not wholly of its target has failed: the step that
 * ends it leaves every index of the range with the attribute it had before that step. Every
 * design stores and fails in one step under invalidate_lock exclusive (nothing else writes the
 * attributes meanwhile), so the state before that step is the range as the conversion found it.
 */
export const conversionAllOrNothing: StepProperty = {
  name: 'conversion-all-or-nothing',
  kind: 'step',
  why: 'Userspace retries a failed conversion from the reported offset: a range left half converted breaks that contract.',
  where:
    'in-place series v7 patch 09: __kvm_gmem_set_attributes checks every folio refcount (kvm_gmem_range_has_safe_refcount) before mas_store_prealloc of the whole range (-EAGAIN, error_offset)',
  changedBy: writersOf('conversions'),
  violation(prev, a, _fx, ctx, next) {
    if (a.op !== 'convert' || next.threads[a.slot] !== null) return null;
    // KVM_SET_MEMORY_ATTRIBUTES names gfns, the in-place ioctl indices.
    const at = (s: typeof prev, i: number) =>
      (ctx.design.attributes === 'vm' ? isPrivateGfn : isPrivate)(s, ctx.design, a.vm, i);
    let failed = false;
    for (let i = a.lo; i < a.hi; i++) if (at(next, i) !== a.priv) failed = true;
    if (!failed) return null;
    for (let i = a.lo; i < a.hi; i++) {
      if (at(next, i) !== at(prev, i)) {
        const vm = ctx.design.attributes === 'vm';
        const where = vm ? gfn(i) : `index ${hex(i)}`;
        return `a conversion of ${span(ctx, vm ? 'gfns' : 'indices', a.lo, a.hi)} to ${kind(a.priv)} failed, yet it made ${where} ${kind(at(next, i))}`;
      }
    }
    return null;
  },
};
