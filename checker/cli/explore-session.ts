/**
 * The state of a `gmemcheck explore` session, apart from its input and output: the path taken
 * so far (each step's action, its number among the enabled actions, the state it reached),
 * what each step does to the spec's properties, and the lines that show it. Every command
 * returns the lines to print, or throws an ExploreError when it cannot be done (the caller
 * decides whether that is a message or an exit).
 */
import { NO_DEADLOCK, type Model, type Property, type PropertyResult, type Trace } from '../model.ts';
import { countOf } from '../counts.ts';
import { initialFacts, stepChanges } from '../report/changes.ts';
import { renderTrace, type TraceContext } from '../report/index.ts';
import { actionText, markOf, threadAndAction, threadOrActor } from '../report/verdict.ts';

/** A command that cannot be done in this state: an action out of range, nothing to undo... */
export class ExploreError extends Error {}

interface Step {
  /** null for the initial state. */
  readonly action: unknown;
  /** The action's number among those enabled in the state before (-1 for the initial state). */
  readonly choice: number;
  readonly state: unknown;
  /** The enabled actions here and the state each leads to, in the model's order. */
  readonly enabled: readonly { action: unknown; next: unknown }[];
  /** What the spec's properties say at this step (see `verdictsAt`). */
  readonly verdicts: ReadonlyMap<string, Verdict>;
}

/** `violated` for an invariant false, a step property broken, a path ended without a goal, a deadlock. */
type Verdict = 'violated' | 'witnessed';

/** Lines of a state wrap at this width. */
const WIDTH = 100;

export class ExploreSession {
  private readonly steps: Step[] = [];
  /** The spec's properties that are the model's (deadlock is checked apart). */
  private readonly properties: readonly Property<unknown, unknown>[];

  constructor(
    private readonly model: Model<unknown, unknown>,
    private readonly specProperties: readonly string[],
    /** Whether a state with no enabled action that is not terminal is a violation. */
    private readonly deadlock: boolean,
  ) {
    this.properties = model.properties.filter((p) => specProperties.includes(p.name));
    const [initial] = model.initStates();
    if (initial === undefined) throw new Error(`${model.name} has no initial state (initStates() returned nothing)`);
    this.steps.push(this.stepOf(null, -1, initial));
  }

  /** Transitions taken so far. */
  get length(): number {
    return this.steps.length - 1;
  }

  private get current(): Step {
    return this.steps[this.steps.length - 1];
  }

  /** Where the session stands: the whole state, every verdict of the spec's properties, the enabled actions. */
  overview(): string[] {
    return [...this.state(), ...this.verdictLines(true), '', ...this.actionLines()];
  }

  /** Takes enabled action `n`: what changed (through the presentation's `view` where it has one), what broke, and the actions enabled next. */
  take(n: number): string[] {
    const { enabled } = this.current;
    if (!Number.isInteger(n) || n < 0 || n >= enabled.length) {
      throw new ExploreError(
        enabled.length === 0
          ? `no action is enabled after step ${this.length} (b goes back, q quits)`
          : `action ${n} is out of range: the state after step ${this.length} has actions 0 to ${enabled.length - 1}`,
      );
    }
    const before = this.current;
    this.steps.push(this.stepOf(enabled[n].action, n, enabled[n].next));
    const changes = stepChanges(this.model, before.state, this.current.state);
    return [
      `step ${this.length}: ${this.label(this.current.action)}`,
      ...(changes.length > 0 ? changes : ['(no change)']).map((c) => `  ${c}`),
      ...this.verdictLines(),
      '',
      ...this.actionLines(),
    ];
  }

  /** Undoes the last step: what it changed, back, and the actions enabled again. */
  back(): string[] {
    if (this.length === 0) throw new ExploreError('nothing to undo: this is the initial state');
    const undone = this.steps.pop() as Step;
    const changes = stepChanges(this.model, undone.state, this.current.state);
    return [
      `back to step ${this.length}, undoing ${this.label(undone.action)}`,
      ...changes.map((c) => `  ${c}`),
      '',
      ...this.actionLines(),
    ];
  }

  /** The numbers of the actions taken, as --path takes them. */
  choices(): number[] {
    return this.steps.slice(1).map((s) => s.choice);
  }

  path(command: string): string[] {
    if (this.length === 0) return ['no action taken yet'];
    const gutter = String(this.length).length;
    return [
      `${countOf(this.length, 'action')} (${command} --path ${this.choices().join(',')}):`,
      ...this.steps.slice(1).map((s, i) => `  ${String(i + 1).padStart(gutter)}  ${this.label(s.action)}`),
    ];
  }

  /** The whole current state. */
  state(): string[] {
    return [this.length === 0 ? 'initial state:' : `state after step ${this.length}:`, ...this.stateLines()];
  }

  actions(): string[] {
    return this.actionLines();
  }

  /**
   * The path as gmemcheck's JSON trace, for the first spec property that is violated at its
   * end (else witnessed there): the trace `gmemcheck replay` reproduces.
   */
  traceJson(ctx: TraceContext): { property: string; verdict: Verdict; json: string } {
    const verdicts = [...this.current.verdicts];
    const [name, verdict] =
      verdicts.find(([, v]) => v === 'violated') ?? verdicts.find(([, v]) => v === 'witnessed') ?? [];
    if (name === undefined || verdict === undefined) {
      throw new ExploreError(
        `no property is violated or witnessed after step ${this.length}, so there is no trace for replay to reproduce (p prints the path to start from again)`,
      );
    }
    const json = renderTrace('json', this.model, this.resultOf(name, verdict), ctx);
    return { property: name, verdict, json };
  }

  private stepOf(action: unknown, choice: number, state: unknown): Step {
    const enabled: { action: unknown; next: unknown }[] = [];
    for (const a of this.model.actions(state)) {
      const next = this.model.nextState(state, a);
      if (next !== undefined) enabled.push({ action: a, next });
    }
    const prev = this.steps.length > 0 ? this.current.state : undefined;
    return { action, choice, state, enabled, verdicts: this.verdictsAt(prev, action, state, enabled.length) };
  }

  /**
   * What each spec property says at a step, as the checker judges a trace that ends here: an
   * invariant false in the state, a step property false on the transition, a witness true in
   * the state; where nothing is enabled, a goal (`eventually`) never reached on the path and
   * a deadlock. Properties with nothing to say are absent.
   */
  private verdictsAt(prev: unknown, action: unknown, state: unknown, enabled: number): Map<string, Verdict> {
    const verdicts = new Map<string, Verdict>();
    for (const p of this.properties) {
      switch (p.kind) {
        case 'always':
          if (!p.holds(state)) verdicts.set(p.name, 'violated');
          break;
        case 'step':
          if (prev !== undefined && !p.holds(prev, action, state)) verdicts.set(p.name, 'violated');
          break;
        case 'sometimes':
          if (p.holds(state)) verdicts.set(p.name, 'witnessed');
          break;
        case 'eventually':
          if (enabled === 0 && !p.holds(state) && !this.steps.some((s) => p.holds(s.state)))
            verdicts.set(p.name, 'violated');
          break;
      }
    }
    if (this.deadlock && enabled === 0 && !this.model.terminal?.(state)) verdicts.set(NO_DEADLOCK, 'violated');
    return verdicts;
  }

  /** The verdicts of the current step that are new (`all`: every one), then those carried over in one line. */
  private verdictLines(all = false): string[] {
    const now = this.current.verdicts;
    const before = this.length > 0 && !all ? this.steps[this.steps.length - 2].verdicts : new Map<string, Verdict>();
    const lines: string[] = [];
    const still: string[] = [];
    // In the spec's order, as check lists them.
    for (const name of this.specProperties) {
      const verdict = now.get(name);
      if (verdict === undefined) continue;
      const kind = this.properties.find((p) => p.name === name)?.kind;
      // An invariant that stays false and a witness that stays true say nothing new; a broken
      // step property is new on every transition that breaks it.
      if (kind !== 'step' && before.get(name) === verdict) {
        still.push(name);
        continue;
      }
      const { sentence } = markOf(this.model, this.resultOf(name, verdict), this.trace());
      lines.push(name === NO_DEADLOCK ? `  deadlock — ${sentence}` : `  ${verdict}: ${name} — ${sentence}`);
    }
    const gone = this.specProperties.filter((name) => before.get(name) === 'violated' && !now.has(name));
    if (still.length > 0) lines.push(`  (still ${still.map((n) => `${now.get(n)}: ${n}`).join(', ')})`);
    if (gone.length > 0) lines.push(`  (no longer violated: ${gone.join(', ')})`);
    return lines;
  }

  private actionLines(): string[] {
    const { enabled } = this.current;
    if (enabled.length === 0)
      return [
        `no action is enabled after step ${this.length}${this.model.terminal?.(this.current.state) ? ' (the model calls this state terminal)' : ''}; b goes back, q quits`,
      ];
    const threads = enabled.map((e) => threadOrActor(this.model, e.action) ?? '');
    const width = Math.max(...threads.map((t) => t.length));
    const gutter = String(enabled.length - 1).length;
    return [
      `enabled actions after step ${this.length}:`,
      ...enabled.map((e, i) => {
        const text = actionText(this.model, e.action, threads[i] || undefined);
        // A thread column where the model names threads; an action that is its thread's name alone reads once.
        const thread = width > 0 && text !== threads[i] ? `${threads[i].padEnd(width)}  ` : '';
        return `  ${String(i).padStart(gutter)}  ${thread}${text}`;
      }),
    ];
  }

  /** `CPU0 vm0 vCPU fault gfn 0x0 (private): kvm_mmu_faultin_pfn...`: the thread, then the action. */
  private label(action: unknown): string {
    return threadAndAction(this.model, action, threadOrActor(this.model, action));
  }

  /** The whole state: the facts of the presentation's `view` where it has one, else each top-level field. */
  private stateLines(): string[] {
    return initialFacts(this.model, this.current.state, WIDTH - 2).map((l) => `  ${l}`);
  }

  private trace(): Trace<unknown, unknown> {
    return { steps: this.steps.map((s) => ({ action: s.action, state: s.state })) };
  }

  private resultOf(name: string, verdict: Verdict): PropertyResult<unknown, unknown> {
    const kind = name === NO_DEADLOCK ? 'deadlock' : (this.properties.find((p) => p.name === name)?.kind ?? 'always');
    return { name, kind, status: verdict === 'witnessed' ? 'satisfied' : 'violated', trace: this.trace() };
  }
}
