/**
 * Conversion: KVM's copy of the attributes agrees with guest_memfd's, and a failed conversion
 * changes nothing.
 */
import { anyThread, hex } from '../state.ts';
import type { StateProperty } from './record.ts';
import { writersOf } from './writes.ts';
import { kind, liveVms } from './queries.ts';

/** Where KVM keeps a copy of guest_memfd's attributes, they agree outside a conversion. */
export const attributesAgree: StateProperty = {
  name: 'attributes-agree',
  kind: 'always',
  why: 'Two records of private/shared that disagree let KVM map what guest_memfd refuses, or the reverse.',
  where: 'in-place series: guest_memfd shareability vs kvm->mem_attr_array (kvm_mem_is_private)',
  changedBy: writersOf('conversions', 'alive', 'binding', 'attributes'),
  violation(s, ctx) {
    if (ctx.design.attributes !== 'gmem' || anyThread(s, (t) => t.op === 'convert')) return null;
    for (const vm of liveVms(s)) {
      if (!s.vms[vm].binding) continue;
      for (let i = 0; i < s.shared.length; i++) {
        if (s.vms[vm].private[i] === s.shared[i]) {
          return `guest_memfd says index ${hex(i)} is ${kind(!s.shared[i])}, KVM (vm${vm}) says ${kind(s.vms[vm].private[i])}`;
        }
      }
    }
    return null;
  },
};

/** A failed conversion leaves every index of its range as it was. */
export const conversionAllOrNothing: StateProperty = {
  name: 'conversion-all-or-nothing',
  kind: 'always',
  why: 'Userspace retries a failed conversion from the reported offset: a range left half converted breaks that contract.',
  where: 'in-place series: the conversion ioctl checks every folio refcount before it changes anything (-EAGAIN, error_offset)',
  changedBy: writersOf('partialConversion'),
  violation(s) {
    return s.seen.partialConversion ? 'a conversion failed with EAGAIN after converting part of its range' : null;
  },
};
