/**
 * Every operation of the model, by the kind an action names: one module per operation a
 * reviewer names (fault, convert, punch-hole, ...), over the kernel primitives of kernel/.
 */
import type { OpKind } from '../state.ts';
import type { OpSpec } from './common.ts';
import { fault } from './fault.ts';
import { convert } from './convert.ts';
import { punchHole } from './punch-hole.ts';
import { allocate } from './allocate.ts';
import { populate } from './populate.ts';
import { mmapFault } from './mmap-fault.ts';
import { munmap } from './munmap.ts';
import { pin, unpin } from './pin.ts';
import { close } from './close.ts';
import { unbind } from './unbind.ts';
import { link } from './link.ts';
import { destroyVm } from './destroy-vm.ts';
import { iommuMap } from './iommu-map.ts';
import { rmpReclaimWork } from './rmp-reclaim-work.ts';

/** `tdxRemoveFail` is a budget, not an operation: it has no entry. */
export const OPS: Readonly<Partial<Record<OpKind, OpSpec>>> = {
  fault, convert, punchHole, allocate, populate, mmapFault, munmap, pin, unpin, close,
  unbind, link, destroyVm, iommuMap, rmpReclaimWork,
};
