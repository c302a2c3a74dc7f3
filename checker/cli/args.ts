/**
 * Option parsing for each subcommand, on `node:util` parseArgs (strict), with its errors turned
 * into one-line UsageErrors that name the option and the fix.
 */
import { parseArgs } from 'node:util';
import { SEED_MAX, SPECS_DIR, STEPS, WALKS } from './defaults.ts';
import { UsageError } from './errors.ts';
import { closest } from './suggest.ts';

export type OptionTypes = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** Options every subcommand takes. */
export const commonOptions = {
  specs: { type: 'string' },
  debug: { type: 'boolean' },
  /** Answered by checker/cli.ts before any command parses its options. */
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionTypes;

/** An example value for each numeric option, quoted in error messages. */
const examples: Record<string, string> = {
  depth: '20',
  'max-states': '1000000',
  'time-limit': '60',
  workers: '2',
  jobs: '2',
  walks: String(WALKS),
  steps: String(STEPS),
  seed: '42',
};

/** What the other options' values look like, for "needs a value" messages. */
const placeholders: Record<string, string> = {
  ignore: "'^CPU'",
  design: 'NAME',
  from: 'upstream',
  to: 'in-place',
  fixed: 'upstream',
  shard: '1/2',
  merge: 'DIR',
  format: 'race',
  out: 'DIR',
  specs: 'DIR',
  path: '3,0,1',
  bound: 'pages=3',
};

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** --specs, or the default SPECS_DIR. */
  specsDir: string;
}

/**
 * Parses `args` for `command`; `positionals` bounds how many operands it takes, and `operand`
 * names them in the error when there are too few or too many.
 */
export function parseCommand(
  command: string,
  args: readonly string[],
  options: OptionTypes,
  positionals: { min: number; max: number; operand: string },
): Parsed {
  let parsed: Parsed;
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...commonOptions, ...options },
      allowPositionals: true,
      strict: true,
    });
    parsed = {
      values: values as Parsed['values'],
      positionals,
      specsDir: (values.specs as string | undefined) ?? SPECS_DIR,
    };
  } catch (error) {
    throw translateParseError(command, args, Object.keys({ ...commonOptions, ...options }), error);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) {
    throw new UsageError(`${command} needs ${positionals.operand} (see gmemcheck ${command} --help)`);
  }
  if (count > positionals.max) {
    const extra = parsed.positionals[positionals.max];
    throw new UsageError(
      `${command} takes ${positionals.max === 0 ? 'no operand' : `only ${positionals.operand}`}, got an extra "${extra}" (see gmemcheck ${command} --help)`,
    );
  }
  return parsed;
}

function translateParseError(
  command: string,
  args: readonly string[],
  known: readonly string[],
  error: unknown,
): unknown {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : '';
  const option = /Option '(-[^ ']+)/.exec(message)?.[1] ?? /option '(-[^ ']+)/i.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const best = closest(option.replace(/^-+/, '').replace(/=.*$/, ''), known);
    return new UsageError(
      `unknown option ${option} for "${command}" (${best ? `did you mean --${best}? ` : ''}see gmemcheck ${command} --help)`,
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    const name = option.replace(/^-+/, '');
    if (message.includes('does not take an argument')) {
      return new UsageError(`${option} takes no value (write ${option} alone)`);
    }
    if (message.includes('ambiguous')) {
      // parseArgs refuses `--depth -3` because -3 could be an option: report the value itself.
      const value = args[args.indexOf(option) + 1] ?? '';
      if (name === 'seed') return badSeed(value);
      if (name in examples) return notPositiveInteger(name, value);
      return new UsageError(
        `${option} got "${value}", which looks like an option (to pass it as the value, write ${option}=${value})`,
      );
    }
    return new UsageError(
      `${option} needs a value (e.g. ${option} ${examples[name] ?? placeholders[name] ?? 'VALUE'})`,
    );
  }
  return error;
}

function notPositiveInteger(name: string, value: string): UsageError {
  return new UsageError(
    `--${name} must be a positive integer, got "${value}" (e.g. --${name} ${examples[name] ?? '1'})`,
  );
}

/**
 * The value of a numeric option, or undefined when it is absent; `ceiling` bounds it, and its
 * `why` says in the error what the ceiling is for.
 */
export function positiveInteger(
  values: Parsed['values'],
  name: string,
  ceiling?: { max: number; why?: string },
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) throw notPositiveInteger(name, text);
  if (ceiling !== undefined && value > ceiling.max) {
    const why = ceiling.why === undefined ? '' : `${ceiling.why}; `;
    throw new UsageError(
      `--${name} must be at most ${ceiling.max}, got ${value} (${why}e.g. --${name} ${examples[name] ?? '1'})`,
    );
  }
  return value;
}

function badSeed(value: string): UsageError {
  return new UsageError(
    `--seed must be an integer from 0 to ${SEED_MAX}, got "${value}" (e.g. --seed ${examples.seed})`,
  );
}

/** A seed drawn at random from the range --seed takes. */
export function randomSeed(): number {
  return Math.floor(Math.random() * SEED_MAX);
}

/** The value of --seed, or undefined when it is absent. */
export function seedOption(values: Parsed['values']): number | undefined {
  const raw = values.seed;
  if (raw === undefined) return undefined;
  const text = String(raw);
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || value > SEED_MAX) throw badSeed(text);
  return value;
}

/** The value of a string option restricted to `choices`. */
export function choice<T extends string>(
  values: Parsed['values'],
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${String(raw)}"`);
  }
  return raw as T;
}
