/**
 * review.html's own script (plain browser JavaScript, run after the inlined Mermaid bundle):
 * - Each trace's body is a `<template>` until its section comes near the screen or a link
 *   lands on it, so that a review of hundreds of counterexamples opens as fast as a short one
 *   and keeps its document small.
 * - Mermaid diagrams draw when they come near the screen, one at a time (a hidden diagram,
 *   in a folded `<details>`, would draw at zero size: it waits until opened).
 * - The stepper of each trace: previous / next step, the step's label and the facts it
 *   changed, the race diagram's row and the step-by-step text's block of that step marked.
 * - The filters by design, property and outcome, over the matrices and the traces (the
 *   design comparisons by design).
 * - A link to a trace (`#<spec>--<design>-<property>`) or a comparison, followed or opened
 *   with the page, scrolls it into view (a trace rendered first), clearing a filter that hides it.
 */
export const reviewScript = String.raw`
(() => {
  'use strict';
  const mermaid = globalThis.mermaid;
  const near = { rootMargin: '800px 0px' };

  let drawing = Promise.resolve();
  const draw = (node) => {
    drawing = drawing
      .then(() => (node.isConnected && !node.hasAttribute('data-processed') ? mermaid.run({ nodes: [node], suppressErrors: true }) : undefined))
      .catch(() => {});
  };
  const drawer = mermaid ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      drawer.unobserve(entry.target);
      draw(entry.target);
    }
  }, near) : null;
  if (mermaid) mermaid.initialize({ startOnLoad: false, theme: matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default' });
  const watchDiagrams = (root) => {
    if (!drawer) return;
    for (const node of root.querySelectorAll('pre.mermaid:not([data-processed])')) {
      if (!node.closest('details:not([open])')) drawer.observe(node);
    }
  };
  addEventListener('toggle', (event) => { if (event.target.open) watchDiagrams(event.target); }, true);

  const stepper = (panel) => {
    const body = panel.closest('.trace-body');
    const last = Number(panel.dataset.last);
    const [previous, next] = panel.querySelectorAll('button');
    const at = panel.querySelector('.at');
    const label = panel.querySelector('.label');
    const facts = panel.querySelector('.facts');
    const marked = body.querySelectorAll('pre [data-step]');
    const show = (step) => {
      const k = Math.max(0, Math.min(last, step));
      panel.dataset.step = String(k);
      previous.disabled = k === 0;
      next.disabled = k === last;
      at.textContent = 'step ' + k + ' of ' + last;
      for (const el of marked) el.classList.toggle('current', el.dataset.step === String(k));
      const block = body.querySelector('pre.text [data-step="' + k + '"]');
      label.textContent = block ? block.querySelector('.head').textContent.trim().replace(/^\d+\s+/, '') : '';
      facts.replaceChildren(...(block ? [...block.querySelectorAll('.fact')] : []).map((fact) => {
        const item = document.createElement('li');
        item.textContent = fact.textContent.trim();
        if (k > 0) item.className = 'changed';
        return item;
      }));
    };
    previous.addEventListener('click', () => show(Number(panel.dataset.step) - 1));
    next.addEventListener('click', () => show(Number(panel.dataset.step) + 1));
    show(0);
  };

  const opener = new IntersectionObserver((entries) => {
    for (const entry of entries) if (entry.isIntersecting) open(entry.target);
  }, near);
  const open = (section) => {
    const template = section.querySelector(':scope > template.body');
    if (!template) return;
    opener.unobserve(section);
    template.replaceWith(document.importNode(template.content, true));
    for (const panel of section.querySelectorAll('.stepper')) stepper(panel);
    watchDiagrams(section);
  };
  const traces = document.querySelectorAll('section.trace');
  for (const section of traces) opener.observe(section);
  const comparisons = document.querySelectorAll('section.comparison');

  const form = document.querySelector('form.filters');
  const shown = form.querySelector('.shown');
  const filter = () => {
    const wanted = { design: form.elements.design.value, property: form.elements.property.value, outcome: form.elements.outcome.value };
    const fits = (el) => (!wanted.design || el.dataset.design === wanted.design)
      && (!wanted.property || el.dataset.property === wanted.property)
      && (!wanted.outcome || el.dataset.outcome.split(' ').includes(wanted.outcome));
    let count = 0;
    for (const section of traces) {
      section.hidden = !fits(section);
      if (!section.hidden) count++;
    }
    for (const section of comparisons) section.hidden = Boolean(wanted.design) && section.dataset.design !== wanted.design;
    for (const row of document.querySelectorAll('tr[data-design]')) row.hidden = Boolean(wanted.design) && row.dataset.design !== wanted.design;
    for (const cell of document.querySelectorAll('table.matrix [data-property]')) cell.hidden = Boolean(wanted.property) && cell.dataset.property !== wanted.property;
    for (const cell of document.querySelectorAll('table.matrix td[data-outcome]')) {
      cell.classList.toggle('dim', Boolean(wanted.outcome) && !cell.dataset.outcome.split(' ').includes(wanted.outcome));
    }
    for (const spec of document.querySelectorAll('section.spec')) spec.hidden = ![...spec.querySelectorAll('table.matrix td[data-outcome]')].some(fits);
    shown.textContent = count + ' of ' + traces.length + ' traces shown';
  };
  // The filters stay at the top of the window: a link scrolls its target below them.
  const clear = () => { document.documentElement.style.scrollPaddingTop = (form.offsetHeight + 8) + 'px'; };
  new ResizeObserver(clear).observe(form);
  form.addEventListener('change', filter);
  form.querySelector('button.all').addEventListener('click', () => {
    form.reset();
    filter();
  });
  filter();
  clear();

  const reveal = () => {
    const target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!target) return;
    if (target.closest('[hidden]')) {
      form.reset();
      filter();
    }
    const section = target.closest('section.trace');
    if (section) {
      open(section);
      for (const details of section.querySelectorAll('details.witness')) details.open = true;
    }
    clear();
    target.scrollIntoView();
  };
  addEventListener('hashchange', reveal);
  reveal();
})();
`.trim();
