/**
 * --out that cannot be written: refused in one line, exit 2, before any run and at once (a
 * recursive mkdir on /proc/forbidden loops forever in Node 20), with nothing written.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../checker/cli/errors.ts';
import { ensureDir } from '../../checker/cli/out-dir.ts';
import { fixtureSpecs, gmemcheck } from './gmemcheck.ts';

const hasProc = existsSync('/proc/self');
const scratch = () => mkdtempSync(join(tmpdir(), 'gmemcheck-out-'));

describe('ensureDir', () => {
  test('creates every missing level and leaves no probe file', () => {
    const dir = scratch();
    ensureDir(join(dir, 'a', 'b', 'c'));
    expect(readdirSync(join(dir, 'a', 'b', 'c'))).toEqual([]);
  });

  test('an existing directory is accepted as it is', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'kept'), '');
    ensureDir(dir);
    expect(readdirSync(dir)).toEqual(['kept']);
  });

  test('a file is refused', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'f'), '');
    expect(() => ensureDir(join(dir, 'f'))).toThrow(
      `--out "${join(dir, 'f')}" is a file, not a directory (pass a directory)`,
    );
  });

  test('a path through a file is refused, naming the file, and nothing is created', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'f'), '');
    expect(() => ensureDir(join(dir, 'f', 'x', 'y'), '--to')).toThrow(
      `--to "${join(dir, 'f', 'x', 'y')}" cannot be created: "${join(dir, 'f')}" is a file, not a directory (pass a path that does not go through a file)`,
    );
    expect(readdirSync(dir)).toEqual(['f']);
  });

  test('an empty path is refused', () => {
    expect(() => ensureDir('')).toThrow(new UsageError('--out needs a directory (e.g. --out review)'));
  });

  test.skipIf(!hasProc)('a file system that takes no new directories is refused at once', () => {
    const started = performance.now();
    expect(() => ensureDir('/proc/forbidden/a/b')).toThrow(
      '--out "/proc/forbidden/a/b" cannot be created: "/proc" does not take new directories (pass a directory you can write)',
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test.skipIf(!hasProc)('an existing directory that takes no new files is refused', () => {
    expect(() => ensureDir('/proc')).toThrow(
      '--out "/proc" is not writable: it takes no new files (pass a directory you can write)',
    );
  });
});

const S = ['--specs', fixtureSpecs];
const commands: [command: string, args: string[]][] = [
  ['check', ['check', 'lock', ...S]],
  ['review', ['review', ...S]],
  ['simulate', ['simulate', 'lock', '--walks', '10', ...S]],
];

/** Runs `args`; one line on stderr, nothing on stdout, exit 2, in well under the time any run takes. */
async function refused(args: readonly string[]): Promise<string> {
  const started = performance.now();
  const ran = await gmemcheck(args);
  const seconds = (performance.now() - started) / 1000;
  expect(ran.status).toBe(2);
  expect(ran.stdout).toBe('');
  expect(ran.stderr.endsWith('\n')).toBe(true);
  expect(ran.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(seconds).toBeLessThan(10);
  return ran.stderr.trimEnd();
}

describe.concurrent('an --out the run could never write: exit 2 before any work', { timeout: 60_000 }, () => {
  test.skipIf(!hasProc).each(commands)('%s --out /proc/forbidden', async (_command, args) => {
    expect(await refused([...args, '--out', '/proc/forbidden'])).toBe(
      'gmemcheck: --out "/proc/forbidden" cannot be created: "/proc" does not take new directories (pass a directory you can write)',
    );
    expect(existsSync('/proc/forbidden')).toBe(false);
  });

  test.each(commands)('%s --out <file>/x', async (_command, args) => {
    const dir = scratch();
    const file = join(dir, 'somefile');
    writeFileSync(file, '');
    expect(await refused([...args, '--out', join(file, 'x')])).toBe(
      `gmemcheck: --out "${join(file, 'x')}" cannot be created: "${file}" is a file, not a directory (pass a path that does not go through a file)`,
    );
    expect(readdirSync(dir)).toEqual(['somefile']);
  });
});
