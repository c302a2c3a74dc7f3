/**
 * The checker's public API. Outside code (tests, models, specs, the CLI) imports only from here.
 */
export type {
  Model,
  Presentation,
  ActionStep,
  Fact,
  Encoder,
  Property,
  PropertyDoc,
  PropertyKind,
  Progress,
  CheckOptions,
  CheckResult,
  PropertyResult,
  PropertyStatus,
  StopReason,
  Trace,
} from './model.ts';
export { always, sometimes, eventually, step, NO_DEADLOCK } from './model.ts';
export { check } from './explore/bfs.ts';
export { checkParallel } from './explore/parallel.ts';
export type { ModelSource } from './explore/model-source.ts';
export { replay, type ReplayResult } from './replay.ts';
export { fingerprint, formatFingerprint } from './fingerprint.ts';
export { defaultFormatAction, actionNameOf } from './format.ts';
export type { Spec, SpecBounds, BoundValue, Expectation } from './spec.ts';
export { defineSpec } from './spec.ts';
export { simulate, type SimulateOptions, type SimulateResult } from './simulate.ts';
