/**
 * The gmemcheck command line: `check`, `review`, `diff`, `export-test`, `replay`, `simulate`, `explore`, `list`. The only place where errors
 * become exit codes: an input error (UsageError) is one line `gmemcheck: <what and the fix>`
 * and exit 2, its stack only with --debug; anything else is a bug and prints its stack.
 *
 * Exit codes: 0 pass / all as expected, 1 a property violated or an expectation missed,
 * 2 bad input, 3 stopped by a limit before the bounded space was covered.
 */
import { checkCommand } from './cli/check.ts';
import { diffCommand } from './cli/diff.ts';
import { UsageError } from './cli/errors.ts';
import { exploreCommand } from './cli/explore.ts';
import { exportTestCommand } from './cli/export-test.ts';
import { didYouMean } from './cli/suggest.ts';
import { listCommand } from './cli/list.ts';
import { replayCommand } from './cli/replay.ts';
import { reviewCommand } from './cli/review.ts';
import { simulateCommand } from './cli/simulate.ts';
import { commands, usage, type Command } from './cli/usage.ts';
import { toolVersion } from './version.ts';

const run: Record<Command, (args: readonly string[]) => Promise<number>> = {
  check: checkCommand,
  review: reviewCommand,
  diff: diffCommand,
  'export-test': exportTestCommand,
  replay: replayCommand,
  simulate: simulateCommand,
  explore: exploreCommand,
  list: listCommand,
};

export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const [command, ...rest] = argv;
    if (command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${usage.main}\n`);
      return 0;
    }
    if (command === '--version') {
      process.stdout.write(`gmemcheck ${toolVersion}\n`);
      return 0;
    }
    if (command === undefined || command.startsWith('-')) {
      const what = command === undefined ? 'no command given' : `"${command}" comes before the command`;
      throw new UsageError(`${what}: write gmemcheck ${commands.join('|')} ... (see gmemcheck --help)`);
    }
    if (!(commands as readonly string[]).includes(command)) {
      throw new UsageError(
        `unknown command "${command}" (${didYouMean(command, commands)}commands: ${commands.join(', ')}; see gmemcheck --help)`,
      );
    }
    // Help wins over everything else on the line: it is what a user in trouble asks for.
    if (rest.some((arg) => arg === '--help' || arg === '-h')) {
      process.stdout.write(`${usage[command as Command]}\n`);
      return 0;
    }
    return await run[command as Command](rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`gmemcheck: ${error.message}\n`);
      if (debug) process.stderr.write(`${stackOf(error)}\n`);
      return 2;
    }
    process.stderr.write(`gmemcheck: internal error (please report it with this stack):\n${stackOf(error)}\n`);
    return 2;
  }
}

/** The stack, and those of the causes (a spec's own error is the cause of the SpecError). */
function stackOf(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? (e.stack ?? e.message) : String(e));
    if (parts.length > 1) parts[parts.length - 1] = `caused by: ${parts[parts.length - 1]}`;
  }
  return parts.join('\n');
}
