/** The guest_memfd domain model: what specs and outside tests import. */
export { gmemModel, initialState } from './model.ts';
export type { GmemModel, GmemModelOptions } from './model.ts';
export { designs, designNames, upstream, inPlace, threadProposal } from './design.ts';
export type { Design } from './design.ts';
export type { Bounds, BoundsInput } from './bounds.ts';
export { fillBounds, describeBounds } from './bounds.ts';
export type { GmemState, OpKind, Thread, Vm, Pfn, Spte, Iova, FileState } from './state.ts';
export { OP_KINDS } from './state.ts';
export type { Action, Actor } from './ops/common.ts';
export { PROPERTIES, PROPERTY_NAMES, propertyNamed, canChange, NO_DEADLOCK } from './properties/index.ts';
export type {
  GmemProperty,
  StateProperty,
  StepProperty,
  LivenessProperty,
  Witness,
  StepSet,
} from './properties/index.ts';
export { OPS } from './ops/index.ts';
export { formatAction, operationLabel } from './format.ts';
