/**
 * What went wrong when a spec file was imported, in one line. A syntax error reads
 * `file:line:column: message`, as compilers and editors give it: tsx's transform reports it on
 * the second line of its message with a 0-based column, under a first line that names nothing.
 */
import { resolve } from 'node:path';
import { displayPath, firstLine } from './errors.ts';

/** `<file>:<line>:<column>: ERROR: <message>`, one line of esbuild's "Transform failed" message. */
const transformError = /^(.+):(\d+):(\d+): ERROR: (.+)$/m;

export interface SyntaxErrorAt {
  /** The file with the error, as messages show paths. */
  readonly file: string;
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly message: string;
}

/** The syntax error `error` reports with its place, or undefined for any other error. */
export function syntaxErrorAt(error: unknown): SyntaxErrorAt | undefined {
  if (!(error instanceof Error) || !error.message.startsWith('Transform failed')) return undefined;
  const m = transformError.exec(error.message);
  if (!m) return undefined;
  return { file: displayPath(resolve(m[1])), line: Number(m[2]), column: Number(m[3]) + 1, message: m[4] };
}

/** The one-line message for a spec file `file` that failed to import. */
export function loadFailureText(file: string, error: unknown): string {
  const at = syntaxErrorAt(error);
  if (at === undefined) return `${file} failed to load: ${firstLine(error)} (fix the file; --debug shows the stack)`;
  const where = `${at.file}:${at.line}:${at.column}: syntax error: ${at.message}`;
  // The spec may import the file with the error: name the spec first, then the place.
  return resolve(at.file) === resolve(file)
    ? `${where} (fix the file; --debug shows the stack)`
    : `${file} failed to load: ${where} (fix that file; --debug shows the stack)`;
}
