/**
 * What went wrong when a spec file was imported, in one line. A syntax error reads
 * `file:line:column: message`, as compilers and editors give it: tsx's transform reports it on
 * the second line of its message with a 0-based column, under a first line that names nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/**
 * Node's errors for an ES module it reads as CommonJS: a .ts file without a package.json of
 * `"type": "module"` above it (a specs directory outside the repository, say).
 */
const commonJsCodes = ['ERR_REQUIRE_CYCLE_MODULE', 'ERR_REQUIRE_ESM', 'ERR_REQUIRE_ASYNC_MODULE'];

/** Whether the package.json nearest above `file` makes its .ts files ES modules. */
function inModulePackage(file: string): boolean {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

function readAsCommonJs(file: string, error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  const commonJs =
    commonJsCodes.includes(String(code)) ||
    (error instanceof SyntaxError && error.message.includes('outside a module'));
  return commonJs && !inModulePackage(file);
}

/** The one-line message for a spec file `file` that failed to import. */
export function loadFailureText(file: string, error: unknown): string {
  if (readAsCommonJs(file, error)) {
    return (
      `${file} failed to load: Node reads it as CommonJS, as no package.json with "type": "module" is above it ` +
      `(write { "type": "module" } to a package.json in its directory)`
    );
  }
  const at = syntaxErrorAt(error);
  if (at === undefined) return `${file} failed to load: ${firstLine(error)} (fix the file; --debug shows the stack)`;
  const where = `${at.file}:${at.line}:${at.column}: syntax error: ${at.message}`;
  // The spec may import the file with the error: name the spec first, then the place.
  return resolve(at.file) === resolve(file)
    ? `${where} (fix the file; --debug shows the stack)`
    : `${file} failed to load: ${where} (fix that file; --debug shows the stack)`;
}
