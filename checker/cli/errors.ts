import { relative } from 'node:path';

/**
 * Input errors: what the user gave is wrong (an option, a spec name, a spec file, a trace file).
 * They carry a one-line message that says what is wrong and how to fix it; only `checker/cli.ts`
 * turns them into `gmemcheck: <message>` and exit code 2. Anything else that is thrown is a bug
 * and keeps its stack.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A spec file that does not load, or loads into something that is not a spec. */
export class SpecError extends UsageError {}

/** The first line of an error's message, for one-line reports of errors thrown by user code. */
export function firstLine(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.split('\n', 1)[0].trim();
}

/** How a path reads in messages: relative to the working directory when that is shorter. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && rel.length < path.length ? rel : path;
}
