import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SandboxServer } from '../../src/sandbox/server.js';

/**
 * Starts the browser that test/sandbox/chromium-setup.ts found (CHROMIUM_PATH, Debian's Chromium, or the one
 * npm installed), headless. When there is none, or it does not start, this throws why, so every browser test
 * fails with the reason instead of being skipped.
 */
export async function launchBrowser(): Promise<Browser> {
  const found = inject('chromium');
  const advice =
    "Set CHROMIUM_PATH to a Chromium or Chrome, install Debian's (apt-get install chromium), or run npm install " +
    'again to bring back the one it installs (@sparticuz/chromium).';
  if (found.problem)
    throw new Error(`No browser for the browser tests: ${found.source}: ${found.problem}. ${advice}`);
  try {
    return await chromium.launch({
      executablePath: found.executablePath,
      args: ['--no-sandbox', '--headless'],
      env: { ...process.env, ...found.env },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`No browser for the browser tests: ${found.source} did not start: ${reason}\n${advice}`, {
      cause: error,
    });
  }
}

export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/sandbox');

/** The sandbox on a random port, its data in a temporary directory, its clock starting at `startAt`. */
export async function startSandbox(
  startAt: Date,
): Promise<{ server: SandboxServer; url: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concert-sandbox-'));
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-sandbox', SLACK_SIGNING_SECRET: '0'.repeat(32) });
  const server = new SandboxServer({ config, dataDir, startAt, log: pino({ level: 'silent' }) });
  // The default address, as `npm run sandbox` listens.
  const port = await server.listen(0);
  await server.ready();
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The sandbox page as a person uses it, in a real browser. Every method waits for what the page shows, never
 * for a fixed time, and `shot` keeps a screenshot of each step.
 */
export class SandboxPage {
  readonly page: Page;
  #shots = 0;

  private constructor(page: Page) {
    this.page = page;
  }

  static async open(browser: Browser, url: string): Promise<SandboxPage> {
    const page = await SandboxPage.#newPage(browser);
    await page.goto(url);
    return new SandboxPage(page);
  }

  /** Opens the page as a tab that was left on `conversation` as `user` would: straight there. */
  static async openAs(
    browser: Browser,
    url: string,
    user: string,
    conversation: string,
  ): Promise<SandboxPage> {
    const page = await SandboxPage.#newPage(browser);
    // As source text: the test runner has no DOM types, and the script runs in the page.
    await page.addInitScript({
      content: `localStorage.setItem('concert-sandbox-user', ${JSON.stringify(user)});
        localStorage.setItem('concert-sandbox-conversation', ${JSON.stringify(conversation)});`,
    });
    await page.goto(url);
    await page.locator(`#sidebar [data-conversation="${conversation}"].active`).waitFor();
    return new SandboxPage(page);
  }

  /**
   * A tab whose waits end only at a hang, not at Playwright's 30 s: a jump of a day runs every minute of it,
   * which takes longer than that on a loaded 2-core machine. Nothing here is timed (benchmarks measure).
   */
  static async #newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(120_000);
    return page;
  }

  async shot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = `${String(++this.#shots).padStart(2, '0')}-${name}.png`;
    await this.page.screenshot({ path: path.join(ARTIFACTS, file) });
  }

  /** Switches to another person from the top bar. */
  async actAs(userId: string): Promise<void> {
    await this.page.locator('#whoami').selectOption(userId);
    await this.page.locator(`#me:has-text("${await this.#nameOf(userId)}")`).waitFor();
  }

  async #nameOf(userId: string): Promise<string> {
    const option = this.page.locator(`#whoami option[value="${userId}"]`);
    return ((await option.textContent()) ?? '').split(' — ')[0] as string;
  }

  /** Opens a channel, the DM with Concert, or App Home, from the sidebar. */
  async open(conversation: string): Promise<void> {
    await this.page.locator(`#sidebar [data-conversation="${conversation}"]`).click();
    await this.page.locator(`#sidebar [data-conversation="${conversation}"].active`).waitFor();
  }

  /** Types in the composer and sends, as a message or a slash command. */
  async type(text: string): Promise<void> {
    await this.page.locator('#composer-input').fill(text);
    await this.page.locator('#composer-input').press('Enter');
  }

  /** The open modal, once it is there. */
  async modal(title: string): Promise<Locator> {
    const modal = this.page.locator('#modal:not([hidden])');
    await modal.locator('#modal-title', { hasText: title }).waitFor();
    return modal;
  }

  async modalClosed(): Promise<void> {
    await this.page.locator('#modal').waitFor({ state: 'hidden' });
  }

  /** The newest message in the open conversation that contains `text`. */
  message(text: string): Locator {
    return this.page.locator('#conversation .message', { hasText: text }).last();
  }

  /** Moves the sandbox clock with one of its buttons and waits until the clock shows `expected`. */
  async jump(
    button: '+1 hour' | '+1 day' | 'Next check-in' | 'Proposal close',
    expected: string,
  ): Promise<void> {
    await this.page.locator('#clock button', { hasText: button }).click();
    // A jump runs every minute on the way through the real app: a day takes about 30 s on 2 cores.
    await this.page.locator('#clock-now', { hasText: expected }).waitFor({ timeout: 120_000 });
  }

  /** Opens the thread of the newest message containing `text` and returns the thread pane. */
  async thread(text: string): Promise<Locator> {
    await this.message(text).locator('.replies-link').click();
    const pane = this.page.locator('#thread:not([hidden])');
    await pane.waitFor();
    return pane;
  }
}
