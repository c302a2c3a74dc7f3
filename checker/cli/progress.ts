/**
 * The progress line: on a terminal, one line on stderr rewritten in place about once a second
 * (the engine calls onProgress at its own interval); nothing at all when stderr is not a
 * terminal or `CI` is set, so logs and pipes stay clean.
 */
import type { Progress } from '../model.ts';
import type { SimulateProgress } from '../simulate.ts';
import { count, countOf, stepsText } from '../counts.ts';

export interface ProgressLine<P = Progress> {
  /** Undefined when progress is not shown: the engine then skips the callbacks altogether. */
  readonly onProgress?: (p: P) => void;
  /** Clears the line (call when the run ends, before printing results). */
  done(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function showsProgress(stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.CI;
}

/** The figures first, the run's name last: a narrow terminal cuts the name, not the figures. */
export function formatProgress(label: string, p: Progress): string {
  const figures = `${count(p.distinctStates)} states, queue ${count(p.queue)}, depth ${p.depth}, ${count(p.statesPerSecond)} states/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
  return label ? `${figures}  ${label}` : figures;
}

/** A simulation's figures: walks, what shrinking costs so far, the deepest walk, the rate. */
export function formatSimulateProgress(label: string, p: SimulateProgress): string {
  const shrink = p.shrinking ? `, shrinking a counterexample (${countOf(p.shrinkWalks, 'walk')})` : '';
  const figures = `${countOf(p.walks, 'walk')}${shrink}, deepest ${stepsText(p.deepest)}, ${count(p.walksPerSecond)} walks/s, ${(p.elapsedMs / 1000).toFixed(1)} s`;
  return label ? `${figures}  ${label}` : figures;
}

/** One line on a terminal, rewritten in place; undefined where progress is not shown. */
export interface StatusLine {
  show(text: string): void;
  done(): void;
}

export function statusLine(
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): StatusLine | undefined {
  if (!showsProgress(stream, env)) return undefined;
  let shown = false;
  return {
    show(text) {
      const width = Math.max(20, (stream.columns || 80) - 1);
      // \r back to the line start, the text cut to the terminal width, \x1b[K erases what is left.
      stream.write(`\r${text.slice(0, width)}\x1b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export function progressLine(
  label: string,
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressLine {
  return figuresLine(label, formatProgress, stream, env);
}

/** The progress line of a simulation. */
export function simulateProgressLine(
  label: string,
  stream: ProgressStream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): ProgressLine<SimulateProgress> {
  return figuresLine(label, formatSimulateProgress, stream, env);
}

function figuresLine<P>(
  label: string,
  format: (label: string, p: P) => string,
  stream: ProgressStream,
  env: NodeJS.ProcessEnv,
): ProgressLine<P> {
  const line = statusLine(stream, env);
  if (!line) return { done() {} };
  return { onProgress: (p) => line.show(format(label, p)), done: () => line.done() };
}
