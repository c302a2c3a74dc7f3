/**
 * The review of a set of specs as data: what `review.json` holds and what the Markdown, the web
 * page and the terminal matrix are rendered from. Everything here is deterministic except the timings.
 */
import type { CheckResult, Model, PropertyDoc, StopReason } from '../model.ts';
import { renderTrace, type TraceContext } from '../report/index.ts';
import type { Expectation, Spec } from '../spec.ts';
import { cellsOf, type Cell } from './cells.ts';
import type { ReviewComparisons } from './comparisons.ts';
import { propertyDocs } from './docs.ts';
import { traceBaseName } from './names.ts';

/** One design of one spec, checked: what the review is built from. */
export interface ReviewInput {
  readonly specId: string;
  readonly file: string;
  readonly spec: Spec;
  readonly design: string;
  readonly model: Model<unknown, unknown>;
  readonly result: CheckResult<unknown, unknown>;
}

export interface ReviewTrace {
  readonly property: string;
  readonly status: 'violated' | 'satisfied';
  readonly steps: number;
  /** A Mermaid sequenceDiagram (no fences). */
  readonly mermaid: string;
  /** The race diagram when the model names threads, else the step-by-step text. */
  readonly diagramFormat: 'race' | 'text';
  readonly diagram: string;
  /** The step-by-step text (what changed at each step); the same as `diagram` when that is the text. */
  readonly text: string;
  /** Where the trace is saved in the JSON trace format (`gmemcheck replay` reads it), relative to review.json. */
  readonly file: string;
}

export interface ReviewRun {
  readonly design: string;
  readonly model: string;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly depth: number;
  readonly complete: boolean;
  readonly stoppedBy: StopReason | null;
  readonly elapsedMs: number;
  /** Action names the model offered but that never fired: a hint that part of it is vacuous. */
  readonly neverFired: readonly string[];
  readonly cells: readonly Cell[];
  readonly traces: readonly ReviewTrace[];
}

export interface SpecReview {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly question: string;
  readonly bounds: Spec['bounds'];
  readonly designs: readonly string[];
  readonly properties: readonly string[];
  /**
   * Per property the model documents (see `PropertyDoc`), in the matrix's column order: why it
   * matters and the code that enforces it. Absent when the model documents none.
   */
  readonly propertyDocs?: Readonly<Record<string, PropertyDoc>>;
  readonly expected: Readonly<Record<string, Readonly<Record<string, Expectation>>>>;
  readonly runs: readonly ReviewRun[];
}

export interface ReviewSummary {
  readonly specs: number;
  readonly runs: number;
  readonly cells: number;
  readonly asExpected: number;
  readonly differs: number;
  readonly inconclusive: number;
}

export interface ReviewData {
  readonly tool: 'gmemcheck';
  readonly version: string;
  readonly summary: ReviewSummary;
  readonly elapsedMs: number;
  readonly specs: readonly SpecReview[];
  /** Each design compared with the baseline of its spec, when the review compared them. */
  readonly comparisons?: ReviewComparisons;
}

/** Strips a ```mermaid fence if the renderer added one: the review adds its own. */
function bareMermaid(text: string): string {
  const fenced = /^```mermaid\n([\s\S]*?)\n```\s*$/.exec(text.trim());
  return fenced ? fenced[1] : text.trimEnd();
}

export function traceContext(input: Pick<ReviewInput, 'specId' | 'spec' | 'design' | 'model'>, toolVersion: string): TraceContext {
  return { model: input.model.name, spec: input.specId, design: input.design, bounds: { ...input.spec.bounds }, toolVersion };
}

/** A file to write below the review's directory. */
export interface ReviewFile {
  readonly name: string;
  readonly content: string;
}

function reviewRun(input: ReviewInput, toolVersion: string, files: ReviewFile[]): ReviewRun {
  const { spec, design, model, result } = input;
  const ctx = traceContext(input, toolVersion);
  const diagramFormat = model.presentation?.threadOf ? 'race' : 'text';
  const traces: ReviewTrace[] = [];
  for (const name of spec.properties) {
    const property = result.properties.find((p) => p.name === name);
    if (!property?.trace || (property.status !== 'violated' && property.status !== 'satisfied')) continue;
    const file = `traces/${traceBaseName(input.specId, design, name)}.json`;
    files.push({ name: file, content: renderTrace('json', model, property, ctx) });
    const text = renderTrace('text', model, property, ctx).trimEnd();
    traces.push({
      property: name,
      status: property.status,
      steps: property.trace.steps.length - 1,
      mermaid: bareMermaid(renderTrace('mermaid', model, property, ctx)),
      diagramFormat,
      diagram: diagramFormat === 'race' ? renderTrace('race', model, property, ctx).trimEnd() : text,
      text,
      file,
    });
  }
  return {
    design,
    model: model.name,
    distinctStates: result.distinctStates,
    transitions: result.transitions,
    depth: result.depth,
    complete: result.complete,
    stoppedBy: result.stoppedBy ?? null,
    elapsedMs: result.elapsedMs,
    neverFired: [...(result.neverFired ?? [])].sort(),
    cells: cellsOf(spec, design, result),
    traces,
  };
}

/**
 * Groups the runs by spec, in the order given (specs, then each spec's designs); `traceFiles`
 * are the JSON traces that the review's `file` fields name.
 */
export function buildReview(inputs: readonly ReviewInput[], toolVersion: string, elapsedMs: number): { review: ReviewData; traceFiles: ReviewFile[] } {
  const specs: SpecReview[] = [];
  const traceFiles: ReviewFile[] = [];
  const bySpec = new Map<string, ReviewInput[]>();
  for (const input of inputs) bySpec.set(input.specId, [...(bySpec.get(input.specId) ?? []), input]);
  for (const [id, group] of bySpec) {
    const { spec, file } = group[0];
    const docs = propertyDocs(group.map((input) => input.model), spec.properties);
    specs.push({
      id, file, title: spec.title, question: spec.question, bounds: spec.bounds, designs: spec.designs, properties: spec.properties,
      ...(Object.keys(docs).length > 0 && { propertyDocs: docs }),
      expected: spec.expected,
      runs: group.map((input) => reviewRun(input, toolVersion, traceFiles)),
    });
  }
  const cells = specs.flatMap((s) => s.runs.flatMap((r) => r.cells));
  const count = (verdict: Cell['verdict']) => cells.filter((c) => c.verdict === verdict).length;
  const review: ReviewData = {
    tool: 'gmemcheck',
    version: toolVersion,
    summary: {
      specs: specs.length,
      runs: specs.reduce((n, s) => n + s.runs.length, 0),
      cells: cells.length,
      asExpected: count('as expected'),
      differs: count('differs'),
      inconclusive: count('inconclusive'),
    },
    elapsedMs,
    specs,
  };
  return { review, traceFiles };
}
