/**
 * Browser harness of the e2e tests: one headless Chromium and one fresh context per test file, with guards
 * that fail a test when the app requests another origin, logs a console error or throws an uncaught error.
 * Side effects: launches and closes Chromium (registered as vitest beforeAll/afterAll hooks).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { launchChromium } from '../support/chromium';

/** What {@link useBrowser} gives a test file. */
export interface BrowserSession {
  /** Origin of the server under test, no trailing slash. */
  readonly baseUrl: string;
  /** The file's browser context (fresh per test file: its own IndexedDB, cache and service workers). */
  readonly context: BrowserContext;
  /** Opens a page in the file's context (closed after the test). */
  newPage(): Promise<Page>;
  /** Guard violations seen since the last check, and forgets them. */
  takeViolations(): string[];
  /** Throws listing every guard violation seen since the last check (and forgets them). */
  assertNoViolations(): void;
}

/** True when `url` is fetched from somewhere other than `origin` (`data:` and `blob:` are local). */
export function isOffOrigin(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('blob:')) return false;
  try {
    return new URL(url).origin !== origin;
  } catch {
    return true;
  }
}

/** Options of {@link useBrowser}. */
export interface UseBrowserOptions {
  /**
   * The server under test, read when the browser starts: for a file that starts its own server in a
   * `beforeAll` registered before `useBrowser` (hooks run in order). Default: the shared e2e server.
   */
  baseUrl?: () => string;
}

/**
 * Registers hooks that launch Chromium for this test file and check the guards after every test.
 * Call once at the top level of a test file.
 */
export function useBrowser(
  contextOptions: BrowserContextOptions = {},
  options: UseBrowserOptions = {},
): BrowserSession {
  let baseUrl = inject('baseUrl');
  let origin = new URL(baseUrl).origin;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let violations: string[] = [];

  const take = (): string[] => {
    const seen = violations;
    violations = [];
    return seen;
  };

  beforeAll(async () => {
    if (options.baseUrl) {
      baseUrl = options.baseUrl();
      origin = new URL(baseUrl).origin;
    }
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: baseUrl,
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      ...contextOptions,
    });
    context.on('request', (request) => {
      const url = request.url();
      if (isOffOrigin(url, origin)) violations.push(`off-origin request: ${url}`);
    });
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      const location = message.location();
      const where = location.url ? ` (${location.url}:${location.lineNumber})` : '';
      violations.push(`console.error: ${message.text()}${where}`);
    });
    context.on('weberror', (webError) => {
      const error = webError.error();
      violations.push(`page error: ${error.message}${error.stack ? `\n${error.stack}` : ''}`);
    });
  });

  afterEach(async () => {
    if (context) {
      for (const page of context.pages()) await page.close();
    }
    const seen = take();
    if (seen.length > 0) {
      throw new Error(`browser guard violations during this test:\n- ${seen.join('\n- ')}`);
    }
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  return {
    get baseUrl(): string {
      return baseUrl;
    },
    get context(): BrowserContext {
      if (!context) throw new Error('the browser context exists only inside tests (useBrowser hooks)');
      return context;
    },
    newPage: async () => {
      if (!context) throw new Error('the browser context exists only inside tests (useBrowser hooks)');
      return context.newPage();
    },
    takeViolations: take,
    assertNoViolations: () => {
      const seen = take();
      if (seen.length > 0) throw new Error(`browser guard violations:\n- ${seen.join('\n- ')}`);
    },
  };
}
