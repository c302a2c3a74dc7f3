/**
 * Output files are written whole or not at all: each goes to a temporary name in its own
 * directory, then is renamed over the target (rename is atomic within a file system), so a
 * reader never sees half a review and a failed run leaves the previous files untouched.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors.ts';
import { ensureDir } from './out-dir.ts';

let serial = 0;

export function writeFileAtomic(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${serial++}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write "${path}": ${(error as Error).message} (check the --out directory)`, {
      cause: error,
    });
  }
}

/** Writes several files atomically each, after making each directory they go to ready once. */
export function writeFiles(dir: string, files: readonly { name: string; content: string }[]): string[] {
  const ready = new Set<string>();
  return files.map(({ name, content }) => {
    const path = join(dir, name);
    const parent = dirname(path);
    if (!ready.has(parent)) {
      ensureDir(parent);
      ready.add(parent);
    }
    writeFileAtomic(path, content);
    return path;
  });
}
