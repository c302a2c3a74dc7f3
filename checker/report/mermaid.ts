/**
 * A Mermaid `sequenceDiagram` that GitHub renders (inside a ```mermaid fence; this module
 * returns the diagram itself). The actors are the participants (userspace, guest_memfd, KVM,
 * IOMMU, arch: the model's `actorOf`, else its `threadOf`, else one participant named after
 * the model), in the order they first act; each step is a message from its actor (numbered by
 * `autonumber`, so the numbers are the step numbers of the other reports), prefixed by its
 * thread where the model has both; the state's changes are a note; the breaking step sits in a
 * red `rect` with a note that names the property and says why.
 */
import type { Model, PropertyResult, Trace } from '../model.ts';
import { diff, formatChange } from './diff.ts';
import { actionText, actorOf, headline, markOf, threadAndAction, type TraceContext } from './verdict.ts';

/** A note longer than this is cut, with the count of what was left out. */
const MAX_NOTE_LINES = 8;

export function renderMermaid<S, A>(model: Model<S, A>, result: PropertyResult<S, A>, trace: Trace<S, A>, ctx: TraceContext): string {
  const mark = markOf(model, result, trace);
  const actors: string[] = [];
  const idOf = (actor: string) => {
    if (!actors.includes(actor)) actors.push(actor);
    return `A${actors.indexOf(actor)}`;
  };
  const body: string[] = [];
  trace.steps.forEach((s, i) => {
    if (s.action === null) return;
    const actor = actorOf(model, s.action);
    const id = idOf(actor);
    // The thread's name leads the message where the participant does not already say it.
    const thread = model.threadOf?.(s.action);
    const label = thread === undefined || thread === actor ? actionText(model, s.action, actor) : threadAndAction(model, s.action, thread);
    const marked = i === mark.step;
    if (marked) body.push('  rect rgb(255, 221, 221)');
    body.push(`  ${id}->>${id}: ${escapeText(label)}`);
    const changes = diff(trace.steps[i - 1].state, s.state).map(formatChange);
    if (changes.length > MAX_NOTE_LINES) {
      changes.splice(MAX_NOTE_LINES - 1, changes.length, `... and ${changes.length - MAX_NOTE_LINES + 1} more changes`);
    }
    if (changes.length > 0) body.push(`  Note right of ${id}: ${changes.map(escapeText).join('<br/>')}`);
    if (marked) {
      body.push(`  Note over ${id}: ${escapeText(markNote(result.name, mark.label, mark.sentence))}`);
      body.push('  end');
    }
  });
  if (mark.step === 0) {
    // The initial state breaks the property: no message to hang the note on.
    const id = idOf(model.name);
    body.push(`  Note over ${id}: ${escapeText(`initial state: ${markNote(result.name, mark.label, mark.sentence)}`)}`);
  }
  if (mark.loopsBackTo !== undefined) {
    body.push(`  Note over ${actors.length > 1 ? `A0,A${actors.length - 1}` : 'A0'}: ${escapeText(`loops back to step ${mark.loopsBackTo}, forever`)}`);
  }

  return [
    'sequenceDiagram',
    `  title ${escapeText(headline(result, ctx).replace(/^gmemcheck: /, ''))}`,
    '  autonumber',
    ...actors.map((a, i) => `  participant A${i} as ${escapeText(a)}`),
    ...body,
  ].join('\n') + '\n';
}

function markNote(property: string, label: string, sentence: string): string {
  return label === 'deadlock' ? `deadlock: ${sentence}` : `${label}: ${property} — ${sentence}`;
}

/**
 * Mermaid reads `;` as a statement end, `#` as a comment or an entity code, `%%` as a comment
 * and `<`/`>` as HTML: those are written as entity codes (`#59;`), which it decodes before
 * parsing and renders as the character.
 */
export function escapeText(s: string): string {
  return s.replace(/[#;%<>\n]/g, (c) => (c === '\n' ? '<br/>' : `#${c.charCodeAt(0)};`));
}
