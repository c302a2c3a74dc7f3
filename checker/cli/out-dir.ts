/**
 * The output directory (--out), made ready before any run: created level by level and probed
 * with a temporary file, so that a path the run could never write fails in one line at once.
 * Every step is one system call on one path: Node 20's recursive mkdir loops forever on some
 * paths (`/proc/forbidden`), so it is not used.
 */
import { mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError, displayPath } from './errors.ts';

const codeText: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';

/** Why a system call failed, in words: the code's meaning, else the error's own message. */
function reason(error: unknown): string {
  return codeText[errorCode(error)] ?? (error as Error).message;
}

/** The path's file status, or the error code when there is none. */
function statusOf(path: string): { isDirectory: boolean } | string {
  try {
    return { isDirectory: statSync(path).isDirectory() };
  } catch (error) {
    return errorCode(error) || 'EIO';
  }
}

/**
 * Makes `dir` an existing directory this process can write files in, creating it and its
 * missing parents; a UsageError naming `option`, what is wrong and the fix otherwise. A level
 * it created is removed again when the directory turns out unwritable.
 */
export function ensureDir(dir: string, option = '--out'): void {
  if (dir === '') throw new UsageError(`${option} needs a directory (e.g. ${option} review)`);
  const fix = '(pass a directory you can write)';
  // The levels to create, deepest first, up to the first that exists.
  const missing: string[] = [];
  let path = resolve(dir);
  for (;;) {
    const status = statusOf(path);
    if (typeof status === 'object') {
      if (status.isDirectory) break;
      if (missing.length === 0)
        throw new UsageError(`${option} "${dir}" is a file, not a directory (pass a directory)`);
      throw new UsageError(
        `${option} "${dir}" cannot be created: "${displayPath(path)}" is a file, not a directory (pass a path that does not go through a file)`,
      );
    }
    // ENOTDIR: a level above is a file; walk on up to name it.
    if (status !== 'ENOENT' && status !== 'ENOTDIR') {
      throw new UsageError(
        `${option} "${dir}" cannot be used: "${displayPath(path)}": ${reason({ code: status })} ${fix}`,
      );
    }
    missing.push(path);
    const parent = dirname(path);
    if (parent === path) throw new UsageError(`${option} "${dir}" cannot be created: "${path}" does not exist ${fix}`);
    path = parent;
  }
  const created: string[] = [];
  try {
    for (const level of missing.reverse()) {
      try {
        mkdirSync(level);
      } catch (error) {
        // ENOENT on a level whose parent exists: the file system (/proc, /sys) takes no new directories.
        const why =
          errorCode(error) === 'ENOENT'
            ? `"${displayPath(dirname(level))}" does not take new directories`
            : reason(error);
        throw new UsageError(`${option} "${dir}" cannot be created: ${why} ${fix}`, { cause: error });
      }
      created.push(level);
    }
    probeWritable(dir, option, fix);
  } catch (error) {
    for (const level of created.reverse()) rmdirSync(level);
    throw error;
  }
}

/** Creates and removes a temporary file in `dir`. */
function probeWritable(dir: string, option: string, fix: string): void {
  const probe = resolve(dir, `.gmemcheck-probe.${process.pid}.tmp`);
  try {
    writeFileSync(probe, '', { flag: 'wx' });
  } catch (error) {
    // ENOENT on a directory that exists: the file system takes no new files.
    const why = errorCode(error) === 'ENOENT' ? 'it takes no new files' : reason(error);
    throw new UsageError(`${option} "${dir}" is not writable: ${why} ${fix}`, { cause: error });
  }
  rmSync(probe, { force: true });
}
