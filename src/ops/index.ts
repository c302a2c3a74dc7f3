/**
 * Every operation of the model, by the kind an action names: one module per operation a
 * reviewer names (fault, convert, punch-hole, ...), over the kernel primitives of kernel/.
 */
import type { OpKind } from '../state.ts';
import type { OpSpec } from './common.ts';
import { fault } from './fault.ts';
import { convert as convertInPlace } from './convert.ts';
import { withHugetlbConversion } from './convert-hugetlb.ts';
import { punchHole } from './punch-hole.ts';
import { allocate } from './allocate.ts';
import { populate } from './populate.ts';
import { mmapFault } from './mmap-fault.ts';
import { munmap } from './munmap.ts';
import { pin, unpin } from './pin.ts';
import { close } from './close.ts';
import { unbind } from './unbind.ts';
import { bind } from './bind.ts';
import { link } from './link.ts';
import { destroyVm } from './destroy-vm.ts';
import { iommuMap } from './iommu-map.ts';
import { rmpReclaimWork } from './rmp-reclaim-work.ts';

/** The conversion: KVM_SET_MEMORY_ATTRIBUTES, v7's in-place ioctl, or the 1G series' kvm_gmem_convert_range. */
const convert = withHugetlbConversion(convertInPlace);

/**
 * `tdxRemoveFail` is a budget, not an operation: it has no entry. It also bounds the 1G series'
 * -ENOMEM failures (ops/convert-hugetlb.ts: the S-EPT demote, the allocator's split / merge).
 */
export const OPS: Readonly<Partial<Record<OpKind, OpSpec>>> = {
  fault,
  convert,
  punchHole,
  allocate,
  populate,
  mmapFault,
  munmap,
  pin,
  unpin,
  close,
  unbind,
  link,
  destroyVm,
  iommuMap,
  rmpReclaimWork,
  bind,
};
