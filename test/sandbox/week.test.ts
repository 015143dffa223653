import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { CHROMIUM, SandboxPage, startSandbox } from './browser.js';

// Monday 23 November 2026, 10:00 in New York: Grace and Jamal's working morning.
const START = new Date('2026-11-23T15:00:00Z');

let browser: Browser;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let s: SandboxPage;

beforeAll(async () => {
  [browser, sandbox] = await Promise.all([
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] }),
    startSandbox(START),
  ]);
  s = await SandboxPage.open(browser, sandbox.url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

afterEach(async (context) => {
  await s.shot(context.task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
});

/**
 * A week in the sandbox, as the coalition's people live it, through the page in a real browser. Each step
 * leaves a screenshot under test-artifacts/sandbox; check-ins, proposals and the digest join as more steps.
 */
describe('a week in the sandbox', () => {
  it('asks who you are, then shows the seeded coalition', async () => {
    await s.page.locator('.person-card', { hasText: 'Grace Kim' }).waitFor();
    expect(await s.page.locator('.person-card').count()).toBe(10);
    await s.page.locator('.person-card', { hasText: 'Grace Kim' }).click();
    await s.page.locator('#me', { hasText: 'Core · Youth Jobs' }).waitFor();
    await s.open(CHANNELS.youth);
    await s.message('permission slips are taking longer').waitFor();
  });

  it('refuses a past due date under its field, then saves the fixed one', async () => {
    await s.type('/commit Print flyers for the job fair');
    const modal = await s.modal('New action step');
    expect(await modal.getByLabel('What will be done').inputValue()).toBe('Print flyers for the job fair');
    await modal.getByLabel('Who will do it').selectOption(PEOPLE.jamal);
    await modal.getByLabel('Done by').fill('2026-11-20');
    await modal.getByRole('button', { name: 'Save' }).click();
    const dueField = modal.locator('.bk-input', { has: s.page.getByLabel('Done by') });
    await dueField.locator('.bk-error', { hasText: 'That date has already passed' }).waitFor();
    await s.shot('past-date-refused');

    await modal.getByLabel('Done by').fill('2026-11-25');
    await modal.getByRole('button', { name: 'Save' }).click();
    await s.modalClosed();
    const saved = s.message('Print flyers for the job fair');
    await saved.locator('.ephemeral-note', { hasText: 'Only visible to you' }).waitFor();
    expect(await saved.textContent()).toContain('owner @Jamal Wright');
  });

  it('tells the owner by DM that the step is theirs', async () => {
    await s.actAs(PEOPLE.jamal);
    await s.open(`D${PEOPLE.jamal.slice(1)}`);
    await s.message('Grace Kim put you down for an action step: Print flyers for the job fair').waitFor();
  });

  it('nudges the owner the working day before it is due, when the clock moves on a day', async () => {
    await s.jump('+1 day', 'Tue 24 Nov');
    await s.message('A reminder: Print flyers for the job fair is due tomorrow').waitFor();
  });

  it('marks the step done from the nudge', async () => {
    const nudge = s.message('A reminder: Print flyers for the job fair');
    await nudge.getByRole('button', { name: 'Done' }).click();
    // The nudge and the earlier DM both become the outcome, without buttons to press again.
    const done = s.page.locator('#conversation .message', {
      hasText: 'Print flyers for the job fair: done, marked by @Jamal Wright',
    });
    await expect.poll(() => done.count()).toBe(2);
    // Block Kit buttons only: the hover menu (Reply in thread…) is the page's own.
    expect(await done.locator('.bk-button').count()).toBe(0);
  });

  it('shows what is still open on App Home, and not the step that is done', async () => {
    await s.open('home');
    const home = s.page.locator('#conversation .home');
    await home.getByText('Collect permission slips for the job fair').waitFor();
    expect(await home.getByText('Print flyers for the job fair').count()).toBe(0);
  });

  it('lets a backbone member nudge someone by hand', async () => {
    await s.actAs(PEOPLE.amara);
    await s.open(CHANNELS.backbone);
    await s.type('/concert nudge @tomas');
    const answer = s.message('Nudged');
    await answer.locator('.ephemeral-note').waitFor();
    expect(await answer.textContent()).toContain('Nudged @Tomás Silva by DM about 1 action step');

    await s.actAs(PEOPLE.tomas);
    await s.open(`D${PEOPLE.tomas.slice(1)}`);
    const nudge = s.message('Amara Okafor from the backbone is checking in on this one');
    await nudge.waitFor();
    expect(await nudge.textContent()).toContain('Call the city about the vacant lots');
    await nudge.getByRole('button', { name: 'New date' }).waitFor();
  });
});
