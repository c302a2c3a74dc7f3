/** Runs the gmemcheck command as a process, the way a user or CI does. */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = join(repoRoot, 'bin/gmemcheck.js');
export const fixtures = 'test/cli/fixtures';
export const fixtureSpecs = `${fixtures}/specs`;
/** A spec whose model documents its properties (why, where). */
export const documentedSpecs = `${fixtures}/documented`;

export interface Ran {
  status: number;
  stdout: string;
  stderr: string;
}

/** The environment of a run: no CI, no progress interval, unless the test sets them. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.CI;
  delete base.GMEMCHECK_PROGRESS_INTERVAL_MS;
  return { ...base, ...extra };
}

/** `gmemcheck ...args` from the repository root, stdout and stderr piped (not a terminal). */
export function gmemcheck(args: readonly string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  return command(process.execPath, [bin, ...args], extraEnv);
}

/** `gmemcheck ...args` with `input` piped to its stdin (then closed). */
export function gmemcheckWithInput(args: readonly string[], input: string): Promise<Ran> {
  return command(process.execPath, [bin, ...args], {}, input);
}

export function command(
  file: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
  input?: string,
): Promise<Ran> {
  return new Promise((done) => {
    const child = execFile(
      file,
      args,
      { cwd: repoRoot, env: env(extraEnv), encoding: 'utf8' },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        done({ status, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** util-linux `script` runs a command on a pseudo-terminal: stdout and stderr are both the tty. */
export const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `gmemcheck ...args` on a pseudo-terminal (needs `hasScript`), `input` typed into it; stdout
 * holds what the terminal showed.
 */
export function onTerminal(args: readonly string[], env: Record<string, string> = {}, input?: string): Promise<Ran> {
  const cmd = [process.execPath, bin, ...args].map(quote).join(' ');
  return command('script', ['-qec', cmd, '/dev/null'], env, input);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gmemcheck-cli-'));
}

/**
 * A specs directory holding a copy of the fixture spec `id`, changed by `change` (which must
 * change it), its relative imports made absolute.
 */
export function editedFixtureSpec(id: string, change: (source: string) => string): string {
  const dir = tempDir();
  const url = (path: string) => JSON.stringify(pathToFileURL(join(repoRoot, path)).href);
  const source = readFileSync(join(repoRoot, fixtureSpecs, `${id}.spec.ts`), 'utf8')
    .replace("'../../../../checker/index.ts'", url('checker/index.ts'))
    .replace("'../../../../checker/examples/index.ts'", url('checker/examples/index.ts'))
    .replace("'../lock-model.ts'", url(`${fixtures}/lock-model.ts`));
  const changed = change(source);
  if (changed === source || source.includes("from '."))
    throw new Error(`the ${id} fixture changed: update the test that edits it`);
  writeFileSync(join(dir, `${id}.spec.ts`), changed);
  // Outside the repository, a .ts file is CommonJS unless a package.json says otherwise.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  return dir;
}

/** The lock fixture with its design switch flipped: check-then-set builds the atomic lock. */
export function flippedLockSpecs(): string {
  return editedFixtureSpec('lock', (s) => s.replace("atomic: design === 'test-and-set'", 'atomic: true'));
}

/**
 * check's saved JSON trace of `design` breaking `property` in spec `spec` (loaded from
 * `specsDir`): the run must exit 1 and write the trace. Returns the trace's path.
 */
export async function savedTrace(spec: string, design: string, property: string, specsDir: string): Promise<string> {
  const out = tempDir();
  const ran = await gmemcheck([
    'check',
    spec,
    '--design',
    design,
    '--format',
    'json',
    '--out',
    out,
    '--specs',
    specsDir,
  ]);
  if (ran.status !== 1) throw new Error(`check ${spec} --design ${design} exited ${ran.status}: ${ran.stderr}`);
  const trace = join(out, `${spec}.${design}.${property}.json`);
  if (!existsSync(trace)) throw new Error(`check ${spec} --design ${design} wrote no ${trace}`);
  return trace;
}
