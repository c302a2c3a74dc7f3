/**
 * How counts read in every output (the CLI, the progress line, traces, the review): one place,
 * so that `6 steps` and `1,000 walks` read alike wherever they appear.
 */

/** A count or a rate as a reader wants it: whole, with thousands separators (`263,056`). */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `1 walk`, `1,000 walks`: the count and its noun, plural unless the count is one. */
export const countOf = (n: number, noun: string): string => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

/** The length of a trace or a walk: `1 step`, `6 steps`. */
export const stepsText = (n: number): string => countOf(n, 'step');
