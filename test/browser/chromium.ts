/**
 * The browser the page tests drive: Debian's Chromium (`apt-get install -y chromium`), through
 * playwright-core, which downloads no browser of its own. `CHROMIUM` names another binary.
 * A missing browser fails the tests with the line that installs it: they are never skipped.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's binary first (its /usr/bin/chromium is a shell wrapper around it), then the wrapper. */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

export function chromiumPath(): string {
  const named = process.env.CHROMIUM;
  if (named) {
    if (!existsSync(named))
      throw new Error(
        `CHROMIUM=${named}: no such file; unset it to use Debian's Chromium, or name the browser's binary`,
      );
    return named;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      `Chromium is not installed (looked for ${CANDIDATES.join(', ')}): the browser tests need it; ` +
        'run `apt-get update && apt-get install -y chromium` (.ci/run does), or set CHROMIUM to a Chromium binary',
    );
  }
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath() });
}

/** What a page did that a test forbids: requests that would leave the machine, console errors, uncaught errors. */
export interface PageWatch {
  readonly offMachine: string[];
  readonly errors: string[];
}

/**
 * A page with the network cut: every request but a `file:` one is aborted and recorded, as is
 * every console error and uncaught exception.
 */
export async function offlinePage(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.newPage({ viewport });
  const watch: PageWatch = { offMachine: [], errors: [] };
  await page.route('**', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    watch.offMachine.push(url);
    return route.abort('internetdisconnected');
  });
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`uncaught: ${e.message}`));
  return { page, watch };
}
