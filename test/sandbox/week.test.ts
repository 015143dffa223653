import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { launchBrowser, SandboxPage, startSandbox } from './browser.js';

// A jump of the sandbox's clock runs every minute on the way through the real app (a day is 1,440 ticks of
// the scheduled jobs, about 30 s on a quiet 2-core machine): the steps that jump get the time that takes.
vi.setConfig({ testTimeout: 150_000 });

// Monday 23 November 2026, 10:00 in New York: Grace and Jamal's working morning.
const START = new Date('2026-11-23T15:00:00Z');

let browser: Browser;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let s: SandboxPage;

beforeAll(async () => {
  [browser, sandbox] = await Promise.all([launchBrowser(), startSandbox(START)]);
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
 * A week in the sandbox, as the coalition's people live it, through the page in a real browser. The steps
 * run in order on one page, each leaving a screenshot under test-artifacts/sandbox; a step added at the end
 * starts from where the last one left the week.
 */
describe('a week in the sandbox', () => {
  it('asks who you are, then shows the seeded coalition with its history', async () => {
    await s.page.locator('.person-card', { hasText: 'Grace Kim' }).waitFor();
    expect(await s.page.locator('.person-card').count()).toBe(10);
    await s.page.locator('.person-card', { hasText: 'Grace Kim' }).click();
    await s.page.locator('#me', { hasText: 'Core · Youth Jobs' }).waitFor();
    await s.open(CHANNELS.youth);
    await s.message('permission slips are taking longer').waitFor();
    // Last Thursday's round, summed up when it closed on Saturday, with the one report in its thread.
    const summary = s.message('Youth Jobs · Thu 19 Nov');
    await summary.waitFor();
    const thread = await s.thread('Youth Jobs · Thu 19 Nov');
    await thread.locator('.message', { hasText: 'Twenty employers at the youth job fair' }).waitFor();
    await s.shot('check-in-history');
    await s.open(CHANNELS.core);
    await s.message('Adopt the shared data agreement').getByText('Consensus reached').first().waitFor();
    await s.message('Move Core meetings to Wednesday evenings').getByText('Blocked').first().waitFor();
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

  it('asks the next members to check in when the clock jumps to the next check-in', async () => {
    await s.actAs(PEOPLE.sam);
    const next = s.page.locator('#jump-checkin-wrap');
    expect(await next.getAttribute('title')).toBe(
      'Jump to Tue 24 Nov, 10:00, when Food Access’s check-in opens',
    );
    await s.jump('Next check-in', 'Tue 24 Nov, 10:00');
    await s.open(`D${PEOPLE.sam.slice(1)}`);
    const prompt = s.message('Weekly check-in: Food Access');
    await prompt.getByRole('button', { name: 'Start check-in' }).waitFor();
  });

  it('takes a check-in from /checkin: the open steps, an assessment and a next step with its date', async () => {
    await s.open(CHANNELS.food);
    await s.type('/checkin');
    const modal = await s.modal('Weekly check-in');
    // Last week's intention is offered again.
    expect(await modal.getByLabel('Intention').inputValue()).toBe(
      'Enough trained volunteers and drivers that no Saturday pickup is missed.',
    );
    await modal.getByLabel('Pair each new volunteer with a driver').selectOption({ label: 'Done' });
    await modal.getByLabel('Train two new pantry drivers').selectOption({ label: 'In progress' });
    await modal.getByLabel('Actions taken since last check-in').fill('Paired all four new volunteers.');
    await modal.getByLabel('On track').check();
    await modal.getByLabel('Next step 1').fill('Book the church hall for driver training');
    await modal.getByLabel('Done by').first().fill('2026-11-26');
    await s.shot('check-in-form');
    await modal.getByRole('button', { name: 'Check in' }).click();
    await s.modalClosed();
    const thanks = s.message('your check-in for Food Access is in');
    await thanks.locator('.ephemeral-note').waitFor();
    expect(await thanks.textContent()).toContain('One action step updated.');
    expect(await thanks.textContent()).toContain('Book the church hall for driver training');
    // The prompt in the DM no longer offers to start.
    await s.open(`D${PEOPLE.sam.slice(1)}`);
    await s.message('You checked in for Food Access').waitFor();
  });

  it('nudges the owner of the check-in’s next step a day later, and takes Done', async () => {
    await s.jump('+1 day', 'Wed 25 Nov, 10:00');
    const nudge = s.message('A reminder: Book the church hall for driver training is due tomorrow');
    await nudge.waitFor();
    await nudge.getByRole('button', { name: 'Done' }).click();
    await s.message('Book the church hall for driver training: done, marked by @Sam Lee').waitFor();
  });

  it('puts a proposal to the Core from /propose', async () => {
    await s.actAs(PEOPLE.diego);
    await s.open(CHANNELS.core);
    await s.type('/propose');
    const kind = await s.modal('New proposal');
    await kind.getByLabel('Other proposal').check();
    await kind.getByRole('button', { name: 'Next' }).click();
    const form = await s.modal('New proposal');
    await form.getByLabel('Title').waitFor();
    await form.getByLabel('Title').fill('Share one volunteer pool across work groups');
    await form.getByLabel('Details').fill('One sign-up sheet; each group draws on it for events.');
    await form.getByLabel('Voting closes on').fill('2026-11-26');
    await s.shot('proposal-form');
    await form.getByRole('button', { name: 'Put to the Core' }).click();
    await s.modalClosed();
    const proposal = s.message('Proposal: Share one volunteer pool across work groups');
    await proposal.getByText('Not yet voted: 4 of 4').waitFor();
  });

  it('records the Core’s votes, a Block with its reason, and the change of mind', async () => {
    const proposal = () => s.message('Proposal: Share one volunteer pool across work groups');
    for (const voter of [PEOPLE.priya, PEOPLE.grace]) {
      await s.actAs(voter);
      await s.open(CHANNELS.core);
      await proposal().getByRole('button', { name: 'Support' }).click();
      await s.message('is now support').waitFor();
    }
    await proposal().getByText('Support (2)').waitFor();

    await s.actAs(PEOPLE.tomas);
    await s.open(CHANNELS.core);
    await proposal().getByRole('button', { name: 'Block' }).click();
    const block = await s.modal('Block');
    await block.getByLabel('The common agenda').check();
    await block.getByLabel('Your reason').fill('Housing volunteers are promised to the tenant forum.');
    await s.shot('block-reason');
    await block.getByRole('button', { name: 'Block' }).click();
    await s.modalClosed();
    await proposal().getByText('Block (1): @Tomás Silva').waitFor();
    await s.shot('blocked-tally');

    await proposal().getByRole('button', { name: 'Stand aside' }).click();
    const aside = await s.modal('Stand aside');
    await aside
      .getByLabel('Your reason')
      .fill('The forum is covered now; Housing joins the pool in January.');
    await aside.getByRole('button', { name: 'Stand aside' }).click();
    await s.modalClosed();
    await proposal().getByText('Stand aside (1): @Tomás Silva').waitFor();
    await proposal().getByText('Block (0)').waitFor();
    await proposal().getByText('Not yet voted: 1 of 4').waitFor();
  });

  it('closes the vote at its deadline with the outcome, and the reasons in the thread', async () => {
    await s.actAs(PEOPLE.diego);
    await s.open(CHANNELS.core);
    expect(await s.page.locator('#jump-proposal-wrap').getAttribute('title')).toContain(
      'when the vote on “Share one volunteer pool across work groups” closes',
    );
    await s.jump('Proposal close', 'Thu 26 Nov');
    const proposal = s.message('Proposal: Share one volunteer pool across work groups');
    await proposal.getByText('Consensus reached — closed at its deadline').waitFor();
    // No vote buttons are left: only the one the proposer or the backbone writes the outcome statement with.
    const buttons = await proposal.locator('.bk-button').allTextContents();
    expect(buttons.map((b) => b.trim())).toEqual(['Outcome statement']);
    const thread = await s.thread('Proposal: Share one volunteer pool across work groups');
    const outcome = thread.locator('.message', { hasText: 'The Core agreed.' });
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain(
      '3 of 4 eligible voted (3 needed): 2 support, 1 stand aside, 0 block.',
    );
    expect(await outcome.textContent()).toContain(
      '@Tomás Silva: The forum is covered now; Housing joins the pool in January.',
    );
  });

  it('shows a backbone member the digest: follow-through, check-ins, what is overdue and what was decided', async () => {
    await s.actAs(PEOPLE.amara);
    await s.open(CHANNELS.backbone);
    await s.type('/concert digest');
    const digest = s.message('Coalition digest');
    await digest.locator('.ephemeral-note').waitFor();
    const text = (await digest.textContent()) ?? '';
    expect(text).toMatch(/Follow-through \d+%/);
    expect(text).toMatch(/check-ins answered \d+%/);
    for (const group of ['Food Access', 'Youth Jobs', 'Housing']) expect(text).toContain(group);
    expect(text).toContain('Share one volunteer pool across work groups');
    await digest.getByRole('button', { name: 'Nudge all overdue owners' }).waitFor();
    await s.shot('digest');
  });
});
