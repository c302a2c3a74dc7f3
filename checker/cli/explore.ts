/**
 * `gmemcheck explore <spec> --design NAME`: stepping through a model by hand, as a reviewer
 * asks "what if this fault ran now?". The session (checker/cli/explore-session.ts) keeps the
 * path; this module reads the commands, one a line, and prints what each one gives.
 *
 * Two modes, chosen by whether stdin is a terminal. On a terminal: a readline prompt, and a
 * command that cannot be done is a message. Piped (a script, a test): no prompt, empty lines
 * and `#` comments skipped, and a command that cannot be done is bad input: one line on stderr
 * and exit 2, so that a script never goes on from a state it did not mean to reach.
 */
import { createInterface } from 'node:readline';
import { traceContext } from '../review/data.ts';
import { stepsText } from '../counts.ts';
import { parseCommand } from './args.ts';
import { writeFileAtomic } from './atomic.ts';
import { SpecError, UsageError, firstLine } from './errors.ts';
import { ExploreError, ExploreSession } from './explore-session.ts';
import { withBounds } from './bounds.ts';
import { buildModel, resolveSpec, type LoadedSpec } from './specs.ts';
import { toolVersion } from '../version.ts';

const options = {
  design: { type: 'string' },
  path: { type: 'string' },
  bound: { type: 'string', multiple: true },
} as const;

const help = ['commands: N take action N, b back, p path, s FILE save the trace, state, a actions, h help, q quit'];

/** The action numbers of --path: `3,0,1`. */
function parsePath(text: string | undefined): number[] {
  if (text === undefined) return [];
  const parts = text.split(',').map((p) => p.trim());
  const bad = parts.find((p) => !/^[0-9]+$/.test(p));
  if (bad !== undefined) {
    throw new UsageError(
      `--path must be action numbers separated by commas, got "${text}" (e.g. --path 3,0,1, as explore's p prints it)`,
    );
  }
  return parts.map(Number);
}

function designOf(loaded: LoadedSpec, design: string | undefined): string {
  if (design !== undefined) return design;
  const { designs } = loaded.spec;
  if (designs.length === 1) return designs[0];
  throw new UsageError(`explore needs --design NAME: spec "${loaded.id}" has several (${designs.join(', ')})`);
}

export async function exploreCommand(args: readonly string[]): Promise<number> {
  const { values, positionals, specsDir } = parseCommand('explore', args, options, {
    min: 1,
    max: 1,
    operand: 'a spec (an id from gmemcheck list)',
  });
  const path = parsePath(values.path as string | undefined);
  const bounds = (values.bound as string[] | undefined) ?? [];
  const loaded = withBounds(await resolveSpec(specsDir, positionals[0]), bounds);
  const design = designOf(loaded, values.design as string | undefined);
  const model = buildModel(loaded, design);
  const interactive = process.stdin.isTTY === true;
  const print = (lines: readonly string[]) => process.stdout.write(`${lines.join('\n')}\n`);
  const again = `gmemcheck explore ${loaded.id} --design ${design}${bounds.map((b) => ` --bound ${b}`).join('')}`;

  try {
    const session = new ExploreSession(model, loaded.spec.properties, loaded.spec.options?.deadlock === true);
    path.forEach((n, i) => {
      try {
        session.take(n);
      } catch (error) {
        if (error instanceof ExploreError)
          throw new UsageError(`--path ${path.join(',')}: at its action ${i + 1}, ${error.message}`);
        throw error;
      }
    });
    print([`${loaded.id} / design ${design} (model ${model.name})`, ...(interactive ? help : [])]);
    if (path.length > 0) print([...session.path(again), '']);
    print(session.overview());

    /** One command: the lines it prints, or 'quit'. */
    const run = (line: string): readonly string[] | 'quit' => {
      const [word, ...rest] = line.split(/\s+/);
      if (/^[0-9]+$/.test(word) && rest.length === 0) return session.take(Number(word));
      switch (word) {
        case 'q':
        case 'quit':
        case 'exit':
          return 'quit';
        case 'b':
        case 'back':
          return session.back();
        case 'p':
        case 'path':
          return session.path(again);
        case 'a':
        case 'actions':
          return session.actions();
        case 'state':
          return session.state();
        case 'h':
        case 'help':
        case '?':
          return help;
        case 's':
        case 'save':
          if (rest.length !== 1) throw new ExploreError(`${word} needs one file name: s FILE (e.g. s trace.json)`);
          return save(rest[0]);
        default:
          throw new ExploreError(`unknown command "${line}" (${help[0]})`);
      }
    };
    const save = (file: string): string[] => {
      const { property, verdict, json } = session.traceJson(
        traceContext({ specId: loaded.id, spec: loaded.spec, design, model }, toolVersion),
      );
      try {
        writeFileAtomic(file, json);
      } catch (error) {
        const cause = (error as Error).cause as NodeJS.ErrnoException | undefined;
        const why =
          cause?.code === 'ENOENT'
            ? 'its directory does not exist'
            : cause?.code === 'EISDIR'
              ? 'it is a directory'
              : firstLine(cause ?? error);
        throw new ExploreError(`cannot write "${file}": ${why}`);
      }
      return [
        `saved ${stepsText(session.length)}, ${property} ${verdict} at the last, to ${file} (gmemcheck replay ${file} reproduces it)`,
      ];
    };

    const rl = createInterface({
      input: process.stdin,
      output: interactive ? process.stdout : undefined,
      terminal: interactive,
    });
    rl.on('SIGINT', () => rl.close());
    const prompt = () => {
      if (!interactive) return;
      rl.setPrompt(`step ${session.length}> `);
      rl.prompt();
    };
    prompt();
    let lineNo = 0;
    for await (const raw of rl) {
      lineNo++;
      const line = raw.trim();
      if (line === '' || (!interactive && line.startsWith('#'))) {
        prompt();
        continue;
      }
      let lines: readonly string[] | 'quit';
      try {
        lines = run(line);
      } catch (error) {
        if (!(error instanceof ExploreError)) throw error;
        if (!interactive) throw new UsageError(`input line ${lineNo} "${line}": ${error.message}`);
        lines = [error.message];
      }
      if (lines === 'quit') break;
      print(['', ...lines]);
      prompt();
    }
    rl.close();
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // What is left comes from the model (its actions, nextState, a property or a hook).
    throw new SpecError(
      `${loaded.file}: design "${design}": the model threw during explore: ${firstLine(error)} (--debug shows the stack)`,
      { cause: error },
    );
  }
}
