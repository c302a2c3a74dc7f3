/**
 * review.html's style sheet: GitHub's light and dark colors, cells colored by outcome, the
 * filters, and the stepper's marks (the current step's row in the race diagram, its facts in
 * the step-by-step text).
 */
export const reviewStyle = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #fff; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; --link: #0969da;
  --holds: #dafbe1; --violated: #ffebe9; --satisfied: #ddf4ff; --unsatisfied: #eaeef2; --inconclusive: #fff8c5; --differs: #cf222e;
  --current: #fff1b8; --changed: #ffd8a8; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23; --link: #4493f8;
  --holds: #12361f; --violated: #4b1113; --satisfied: #0c2d4b; --unsatisfied: #262c36; --inconclusive: #3b2e00; --differs: #ff7b72;
  --current: #3d3200; --changed: #5c3a00; } }
body { margin: 0 auto; padding: 1rem 1.5rem 4rem; max-width: 72rem; font: 15px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--link); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: .75rem; overflow-x: auto; line-height: 1.35; }
pre.mermaid[data-processed] { background: none; border: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .6rem; text-align: left; vertical-align: top; }
thead th { background: var(--code); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
:is(td, code).holds { background: var(--holds); } :is(td, code).violated { background: var(--violated); }
:is(td, code).satisfied { background: var(--satisfied); } :is(td, code).unsatisfied { background: var(--unsatisfied); }
:is(td, code).inconclusive { background: var(--inconclusive); }
td.dim { opacity: .35; }
table.properties th code { white-space: nowrap; }
td.differs { outline: 2px solid var(--differs); outline-offset: -2px; font-weight: 600; }
.differs { color: var(--differs); } td.differs a { color: inherit; }
blockquote { margin: 0 0 1rem; padding-left: 1rem; border-left: 3px solid var(--line); color: var(--muted); }
section.spec, section.comparisons { border-top: 1px solid var(--line); margin-top: 2.5rem; }
summary { cursor: pointer; color: var(--muted); }
.idle, .replay, .shown, .own { color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; position: sticky; top: 0; z-index: 1;
  padding: .5rem 0; background: var(--bg); border-bottom: 1px solid var(--line); }
form.filters select { font: inherit; max-width: 22rem; }
pre .row, pre .step { display: block; }
pre .current { background: var(--current); }
pre .step.current .fact { background: var(--changed); }
.stepper { display: grid; grid-template-columns: auto auto auto 1fr; gap: .25rem .75rem; align-items: center; margin: .5rem 0; }
.stepper button { font: inherit; padding: .15rem .6rem; }
.stepper .at { font-variant-numeric: tabular-nums; }
.stepper .now { grid-column: 1 / -1; margin: 0; }
.stepper ul.facts { grid-column: 1 / -1; margin: 0; padding-left: 1.25rem; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.stepper ul.facts li.changed { background: var(--changed); }
`.trim();
