/**
 * A Mermaid `sequenceDiagram` that GitHub renders (inside a ```mermaid fence; this module
 * returns the diagram itself).
 *
 * - The participants are the actors (userspace, guest_memfd, KVM, IOMMU, arch: the model's
 *   `actorOf`, else its `threadOf`, else one participant named after the model), in the order
 *   they first act.
 * - Each step is one message (numbered by `autonumber`, so the numbers are the step numbers of
 *   the other reports), led by its thread's name where the participant does not say it. A
 *   thread's step on the actor it was on is a self-message; on another actor it is a call
 *   (`KVM->>guest_memfd: kvm_gmem_get_pfn`), or a return (dotted) when the thread was on that
 *   actor before, as on a call stack.
 * - Where the presentation names each action's operation and step (`stepOf`) and some thread
 *   runs two steps of one operation in a row (see `hasOperations`), the operation is written
 *   once, in a note where the thread starts it, and the steps alone in the messages.
 * - What the step changed is a note (through the presentation's `view` when it has one; each
 *   change cut at MAX_NOTE_WIDTH; the text report has them whole); the breaking step sits in a
 *   red `rect` with a note naming the property and why.
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import { stepChanges } from './changes.ts';
import { actionParts, actorOf, hasOperations, headline, markOf, type TraceContext } from './verdict.ts';

/** A note longer than this is cut, with the count of what was left out. */
const MAX_NOTE_LINES = 8;
/** A change wider than this is cut with an ellipsis: notes do not wrap. */
const MAX_NOTE_WIDTH = 80;

export function renderMermaid<S, A>(
  model: Model<S, A>,
  result: PropertyResult<S, A>,
  trace: Trace<S, A>,
  ctx: TraceContext,
): string {
  const mark = markOf(model, result, trace);
  const actors: string[] = [];
  const idOf = (actor: string) => {
    if (!actors.includes(actor)) actors.push(actor);
    return `A${actors.indexOf(actor)}`;
  };
  const steps = trace.steps.flatMap((s, i) => {
    if (s.action === null) return [];
    const actor = actorOf(model, s.action);
    const thread = model.presentation?.threadOf?.(s.action) ?? actor;
    return [{ i, actor, thread, ...actionParts(model, s.action, thread) }];
  });
  const operations = hasOperations(steps);
  const stacks = new Map<string, string[]>();
  const currentOp = new Map<string, string | undefined>();

  const body: string[] = [];
  for (const { i, actor, thread, ...parts } of steps) {
    const id = idOf(actor);
    const stack = stacks.get(thread) ?? [];
    stacks.set(thread, stack);
    let arrow = `${id}->>${id}`;
    if (stack.length > 0 && stack[stack.length - 1] !== id) {
      const from = stack[stack.length - 1];
      if (stack.includes(id)) {
        while (stack[stack.length - 1] !== id) stack.pop();
        arrow = `${from}-->>${id}`;
      } else {
        stack.push(id);
        arrow = `${from}->>${id}`;
      }
    } else if (stack.length === 0) {
      stack.push(id);
    }
    const op = operations ? parts.operation : undefined;
    const step = operations ? parts.step : parts.text;
    if (op !== undefined && op !== currentOp.get(thread)) {
      body.push(`  Note over ${id}: ${escapeText(`${thread === actor ? '' : `${thread} `}starts ${op}`)}`);
    }
    currentOp.set(thread, op);

    const marked = i === mark.step;
    if (marked) body.push('  rect rgb(255, 221, 221)');
    body.push(`  ${arrow}: ${escapeText(thread === actor ? step : `${thread} ${step}`)}`);
    const changes = stepChanges(model, trace.steps[i - 1].state, trace.steps[i].state).map((c) =>
      c.length > MAX_NOTE_WIDTH ? `${c.slice(0, MAX_NOTE_WIDTH - 1)}…` : c,
    );
    if (changes.length > MAX_NOTE_LINES) {
      changes.splice(MAX_NOTE_LINES - 1, changes.length, `... and ${changes.length - MAX_NOTE_LINES + 1} more changes`);
    }
    if (changes.length > 0) body.push(`  Note right of ${id}: ${changes.map(escapeText).join('<br/>')}`);
    if (marked) {
      body.push(`  Note over ${id}: ${escapeText(markNote(result.name, mark.label, mark.sentence))}`);
      body.push('  end');
    }
  }
  if (mark.step === 0) {
    // The initial state breaks the property: no message to hang the note on.
    const id = idOf(model.name);
    body.push(`  Note over ${id}: ${escapeText(`initial state: ${markNote(result.name, mark.label, mark.sentence)}`)}`);
  }
  if (mark.loopsBackTo !== undefined) {
    body.push(
      `  Note over ${actors.length > 1 ? `A0,A${actors.length - 1}` : 'A0'}: ${escapeText(`loops back to step ${mark.loopsBackTo}, forever`)}`,
    );
  }

  return (
    [
      'sequenceDiagram',
      `  title ${escapeText(headline(result, ctx).replace(/^gmemcheck: /, ''))}`,
      '  autonumber',
      ...actors.map((a, i) => `  participant A${i} as ${escapeText(a)}`),
      ...body,
    ].join('\n') + '\n'
  );
}

function markNote(property: string, label: string, sentence: string): string {
  return label === 'deadlock' ? `deadlock: ${sentence}` : `${label}: ${property} — ${sentence}`;
}

/**
 * Mermaid reads `;` as a statement end, `#` as a comment or an entity code, `%%` as a comment
 * and `<`/`>` as HTML: those are written as entity codes (`#59;`), which it decodes before
 * parsing and renders as the character. An arrow `->` is written `→`, so that the diagram's
 * source reads as well as its rendering (`private → shared`, not `private -#62; shared`).
 */
export function escapeText(s: string): string {
  return s.replace(/->/g, '→').replace(/[#;%<>\n]/g, (c) => (c === '\n' ? '<br/>' : `#${c.charCodeAt(0)};`));
}
