/**
 * The Mermaid library, to be inlined in review.html so that its diagrams draw with no network:
 * the `mermaid` package's one-file browser bundle (`dist/mermaid.min.js`, a classic script that
 * sets `globalThis.mermaid`), read once from the installed package.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const BUNDLE = 'mermaid/dist/mermaid.min.js';

let cached: string | undefined;

/**
 * The bundle's text, safe to put between `<script>` and `</script>`: a bundle that holds
 * `</script` or `<script` (which would end the element early, or change how the browser reads
 * it) is refused rather than rewritten.
 */
export function mermaidBundle(): string {
  if (cached !== undefined) return cached;
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve(BUNDLE);
  } catch {
    throw new Error(`review.html inlines ${BUNDLE}, which is not installed: run \`npm ci\` in the gmemcheck checkout`);
  }
  const text = readFileSync(path, 'utf8');
  if (/<\/?script/i.test(text)) throw new Error(`${path} holds a <script> or </script> tag and cannot be inlined in review.html`);
  cached = text;
  return text;
}
