/** The help texts: `gmemcheck --help` and `gmemcheck <command> --help`. */
import { traceFormats } from '../report/index.ts';
import { SHOWN_SETS } from '../diff/compare.ts';
import {
  COMPARE_WITH,
  FORMAT,
  JOBS,
  REGRESSIONS_DIR,
  REVIEW_DIR,
  SEED_MAX,
  SPECS_DIR,
  STEPS,
  STEPS_MAX,
  WALKS,
  WORKERS_MAX,
} from './defaults.ts';

export const commands = ['check', 'review', 'diff', 'export-test', 'replay', 'simulate', 'explore', 'list'] as const;
export type Command = (typeof commands)[number];

const common = `  --specs DIR        where the spec files are (default ${SPECS_DIR}/)
  --debug            on an error, print the stack trace too
  -h, --help         this help`;

/** --format and --out, as check and simulate take them. */
const traceOptions = `  --format F         how counterexamples are printed: ${traceFormats.map((f) => (f === FORMAT ? `${f} (default)` : f)).join(', ')}
  --out DIR          also write each trace to DIR/<spec>.<design>.<property>.<ext>`;

export const usage: Record<Command | 'main', string> = {
  main: `gmemcheck: an explicit-state model checker for the guest_memfd design

Usage:
  gmemcheck check <spec> [--design NAME] [--depth N] [--max-states N] [--time-limit S]
                         [--workers N] [--format ${traceFormats.join('|')}|vitest] [--out DIR]
  gmemcheck review [specs...] [--out DIR] [--jobs N] [--shard I/N] [--compare]
  gmemcheck review --merge DIR... [--out DIR]
  gmemcheck diff <spec> --from DESIGN --to DESIGN [--show N] [--ignore REGEX]
  gmemcheck export-test <trace.json|trace.itf.json> [--fixed DESIGN] [--out DIR]
  gmemcheck replay <trace.json|trace.itf.json>
  gmemcheck simulate <spec> [--design NAME] [--walks N] [--steps N] [--seed N] [--time-limit S]
                            [--format ${traceFormats.join('|')}] [--out DIR]
  gmemcheck explore <spec> --design NAME [--path 3,0,1]
  gmemcheck list

Commands:
  check        check one spec (every design, or --design NAME) and print each property's outcome
  review       check every spec and design; print the matrix, write review.md, review.html and review.json
  diff         the behaviours one design reaches and another does not, each with its shortest trace
  export-test  write a saved counterexample as a vitest regression test
  replay       re-run a saved trace and say whether it still reproduces on today's model
  simulate     random walks far deeper than check's bound; finds violations, proves nothing
  explore      step through one design's model by hand, action by action
  list         the specs, their designs and properties, one line each

Options for every command:
${common}
  --version          print the version

Exit codes: 0 all pass (review: all as expected), 1 a property violated or unsatisfied
(review: an outcome differs from the spec's expectation; replay: the trace no longer
reproduces), 2 bad input, 3 stopped by a limit before the bounded space was covered.`,

  check: `Usage: gmemcheck check <spec> [options]

Checks every design of <spec> (an id from gmemcheck list, or a path to a .spec.ts file) at the
spec's bounds and prints, per design, the state counts and each property's outcome, then the
counterexample of each violated property.

Options:
  --design NAME      check this design only
  --depth N          explore at most N steps deep (overrides the spec)
  --max-states N     stop after N distinct states (exit 3 if the space was not covered)
  --time-limit S     stop after S seconds (exit 3 if the space was not covered)
  --workers N        parallel exploration on N threads (at most ${WORKERS_MAX})
${traceOptions}
  --format vitest    print violations as text and write each as a vitest regression test to
                     DIR/<spec>.<design>.<property>.test.ts (--out, default ${REGRESSIONS_DIR}/;
                     see gmemcheck export-test --help)
  --fixed DESIGN     with --format vitest: the design the test expects to keep the property
                     (default: the spec's first other design that keeps it)
  --bound KEY=VALUE  check at the spec's bounds with this one changed (repeatable):
                     --bound pages=3 --bound ops.fault=3 --bound inFlight=3
${common}

Exit codes: 0 every property holds or is satisfied, 1 a property is violated or a witness
was not found (whatever the spec expects: use review to compare with expectations), 2 bad
input, 3 a limit stopped the run before the bounded space was covered.`,

  review: `Usage: gmemcheck review [specs...] [options]

Checks every design of every spec (or of the specs named), prints the matrix of designs by
properties, and writes DIR/review.md (Markdown with a Mermaid diagram per trace),
DIR/review.html (the same as one page), DIR/review.json and DIR/traces/*.json (replayable).

Options:
  --out DIR          where to write (default ${REVIEW_DIR}/)
  --max-states N     stop each run after N distinct states
  --time-limit S     stop each run after S seconds
  --workers N        run each design on N threads
  --jobs N           run N designs at once on helper threads (default ${JOBS}; worth it when
                     runs take seconds each)
  --compare-with D   compare each design with D by the behaviours each reaches (as gmemcheck
                     diff does), or with the spec's first design where the spec lacks D
                     (default ${COMPARE_WITH}): a section of review.md, review.html, review.json
  --no-compare       leave the comparisons out (they take about twice the checking's time)
  --shard I/N        run only the I-th of N shares of the (spec, design) cells (dealt
                     round-robin, the same on every machine) and write DIR/review-part.json
  --merge DIR...     write the review from the parts in DIR... (one per shard, every shard
                     once): the same files a single run writes, run times aside
${common}

Exit codes: 0 every outcome is as the specs expect, 1 an outcome differs, 2 bad input,
3 no outcome differs but a limit stopped a run before its bounded space was covered.`,

  diff: `Usage: gmemcheck diff <spec> --from DESIGN --to DESIGN [options]

Explores both designs of <spec> at the spec's bounds and compares what they reach. A behaviour
is the view of a reachable state: its facts in the model's own words (\`key: value\`), so that
designs with different internals compare. Facts whose key only one design names are listed
apart and not compared.

Prints the views --to reaches and --from does not, then the converse, each side filed under
its smallest new fact sets: a fact the other design never has; else two facts it never has
together; else the whole view. Each of the first sets comes with the shortest trace to it.

Options:
  --from DESIGN      the design compared against (e.g. upstream)
  --to DESIGN        the design whose new behaviours are listed first
  --show N           fact sets listed with a trace per side (default ${SHOWN_SETS}; 0 for counts only)
  --ignore REGEX     leave out the facts whose key matches (repeatable): --ignore '^CPU'
                     --ignore '_lock$' compares what operations leave, not where they are
  --depth N          explore at most N steps deep
  --max-states N     stop each search after N distinct states (exit 3 if not covered)
  --time-limit S     stop each search after S seconds (exit 3 if not covered)
  --bound KEY=VALUE  compare at the spec's bounds with this one changed (repeatable)
${common}

Exit codes: 0 the designs reach the same behaviours, 1 they differ, 2 bad input, 3 a limit
stopped a search before its bounded space was covered.`,

  'export-test': `Usage: gmemcheck export-test <trace.json|trace.itf.json> [options]

Writes the counterexample in <trace> (from check --out or review) as a vitest test,
DIR/<spec>.<design>.<property>.test.ts. One test replays the trace's actions on the design it
was found on and expects the property broken at the last step and nowhere before; the other
checks that the fixed design keeps the property at the same bounds. The file imports the spec
and the checker by paths relative to DIR, and runs with npx vitest run <file> from the
project's root. Before writing, both are checked on today's model.

Options:
  --fixed DESIGN     the design expected to keep the property (default: the spec's first
                     other design that keeps it at the trace's bounds)
  --out DIR          where to write (default ${REGRESSIONS_DIR}/, which vitest runs)
${common}

Exit codes: 0 written, 2 bad input (the trace no longer reproduces, or no design keeps the
property).`,

  replay: `Usage: gmemcheck replay <trace.json|trace.itf.json>

Re-runs a trace written by check --out or review on today's model of the spec and design it
names, and says whether it still reproduces.

Options:
${common}

Exit codes: 0 it reproduces, 1 it no longer does, 2 bad input.`,

  simulate: `Usage: gmemcheck simulate <spec> [options]

Runs random walks on every design of <spec> (or --design), each walk up to --steps long, far
past the depth a complete check reaches, and shrinks every failing walk to a short trace.
Prints, per design, the walks, walks/s and the deepest state reached, then each property's
outcome: violated (with the shrunk trace's length), witnessed, or "no counterexample in N
walks". Simulation proves nothing: a property no walk contradicted may still fail.

Options:
  --design NAME      simulate this design only
  --walks N          random walks per design (default ${WALKS})
  --steps N          transitions per walk at most (default ${STEPS}, at most ${STEPS_MAX})
  --seed N           fast-check's seed (0 to ${SEED_MAX}; default a random one, printed)
  --time-limit S     stop each design after S seconds
${traceOptions}
                     (json and itf traces replay with gmemcheck replay)
  --bound KEY=VALUE  walk at the spec's bounds with this one changed (repeatable)
${common}

Exit codes: 0 no walk contradicted a property, 1 a property is violated, 2 bad input.`,

  explore: `Usage: gmemcheck explore <spec> --design NAME [--path 3,0,1] [--bound KEY=VALUE]

Steps through the model of one design by hand, from its first initial state. Shows the
state (in the model's own words where it has a view) and numbers the enabled actions (each
with its thread), then reads one command a line from stdin:

  N          take action N: prints what changed, and each spec property it breaks
  b, back    undo the last action
  p, path    the actions so far, and the --path that starts from here again
  s FILE     save the path as a JSON trace (gmemcheck replay reproduces it); the path must
             end where a property is violated or witnessed
  state      the whole current state
  a          the enabled actions again
  h, help    these commands
  q, quit    stop (so does the end of input)

On a terminal it prompts, and a command it cannot do is a message. With stdin piped it
prints no prompt, skips empty lines and lines starting with #, and a command it cannot do
(an action number out of range, say) is one line on stderr and exit 2.

Options:
  --design NAME      the design (needed when the spec has several)
  --path N,N,...     start after these actions (numbers as explore shows them)
${common}

Exit codes: 0 stopped with q or at the end of input, 2 bad input.`,

  list: `Usage: gmemcheck list

Lists every spec (id: question), its designs and its properties, one line each.

Options:
${common}`,
};
