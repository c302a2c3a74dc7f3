/**
 * The command line's defaults and ceilings: the options apply them and the help texts quote
 * them, both from here.
 */
import type { TraceFormat } from '../report/index.ts';
import { MAX_WORKERS } from '../explore/shared-links.ts';
import { SEED_MAX as SIMULATE_SEED_MAX } from '../simulate.ts';

/** Where the spec files are, unless --specs says. */
export const SPECS_DIR = 'specs';
/** Where check --format vitest and export-test write regression tests, unless --out says: below test/, which vitest runs. */
export const REGRESSIONS_DIR = 'test/regressions';
/** Where review writes, unless --out says. */
export const REVIEW_DIR = 'review';
/**
 * The design review compares every other design of a spec with, when the spec checks it (else
 * the spec's first design), unless --compare-with names another or --no-compare skips it.
 */
export const COMPARE_WITH = 'upstream';
/**
 * From this many designs on, review compares them on a helper thread beside the checks (a
 * second to start, worth it when the comparisons take many); GMEMCHECK_COMPARE_ASIDE=1 forces it.
 */
export const COMPARE_ASIDE_FROM = 12;
/**
 * Designs review runs at once: one by default, since the specs' review takes about 20 s of CPU
 * and a helper thread costs a second of start-up and a cold JIT; --jobs pays off on long runs.
 */
export const JOBS = 1;
/** checkParallel's ceiling, checked on the command line so that it reads as bad input. */
export const WORKERS_MAX = MAX_WORKERS;
/** How check and simulate print a trace, unless --format says. */
export const FORMAT: TraceFormat = 'text';
export const WALKS = 1000;
export const STEPS = 1000;
/** simulate draws a walk's choices up front, one per step: past this, memory and shrinking suffer. */
export const STEPS_MAX = 100_000;
/** fast-check's seeds are 32-bit integers from 0 to this (simulate's own ceiling). */
export const SEED_MAX = SIMULATE_SEED_MAX;
