import { afterEach, describe, expect, it } from 'vitest';
import { register as registerActions } from '../../src/listeners/actions/index.js';
import type { ListenerDeps } from '../../src/listeners/deps.js';
import { Routes } from '../../src/listeners/routes.js';
import { register as registerViews } from '../../src/listeners/views/index.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { defineIndicator } from '../harness/indicators.js';
import { propose } from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';
import {
  again,
  type Captured,
  capture,
  change,
  deliver,
  effects,
  twinAfterFirstCheck,
} from '../harness/twice.js';

/**
 * Every form (view_submission callback) and every button or menu (action ID) the app registers, each
 * brought to the moment just before it is used. `act` uses it once through the driver; the test then
 * sends that same request twice at once, again in a row, and as Slack's redelivery.
 */
interface Interaction {
  /** What it is, in words. */
  name: string;
  /** Sets the scene in a fresh coalition; returns the click or submission. */
  arrange(t: TestApp): Promise<() => Promise<unknown>>;
}

// Tuesday 24 November 2026, 10:00 in New York.
const START = '2026-11-24T15:00:00Z';
// Food Access's weekly check-in opens on Mondays at 10:00 New York time.
const ROUND_OPENS = new Date('2026-11-30T15:00:00Z');

const inCore = { in: 'message' as const, channel: CHANNELS.core };

async function stepList(t: TestApp) {
  await commitStep(t, PEOPLE.fay, 'Call the food bank', '2026-11-27');
  await t.slack.command(PEOPLE.fay, '/commit', 'list', { channel: CHANNELS.food });
}

/** Fay's step, made by Cora for her: Fay has the DM that says so, with the step's buttons. */
async function assignedStep(t: TestApp) {
  await t.slack.command(PEOPLE.cora, '/commit', 'Book the hall', { channel: CHANNELS.food });
  const form = t.slack.modal(PEOPLE.cora).pick('Who will do it', PEOPLE.fay).date('Done by', '2026-11-27');
  expect((await form.submit(PEOPLE.cora)).body).toBe('');
  await t.settled();
}

async function openRound(t: TestApp) {
  t.clock.set(ROUND_OPENS);
  expect(await fireSlot(t, 'checkins', ROUND_OPENS)).toBe(true);
  t.clock.set(new Date(ROUND_OPENS.getTime() + 60 * 60_000));
}

async function checkinForm(t: TestApp) {
  await openRound(t);
  await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
  return t.slack
    .modal(PEOPLE.fay)
    .fill('Intention', 'Get the pantry schedule out')
    .radio('Progress toward the intention', '🟢 On track')
    .fill('Next step 1', 'Call the county')
    .date('Next step 1 › Done by', '2026-12-03')
    .fill('Support needed', 'A venue for the volunteer training');
}

async function openProposal(t: TestApp) {
  expect((await propose(t, PEOPLE.cora, 'Adopt the shared intake form')).body).toBe('');
  await t.settled();
}

async function digest(t: TestApp) {
  await t.slack.command(PEOPLE.bea, '/concert', 'digest', { channel: CHANNELS.backbone });
}

/** Keyed by the callback or action ID as registered (a pattern by its source). */
const INTERACTIONS: Record<string, Interaction> = {
  setup_submit: {
    name: 'the setup form',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', 'setup', { channel: CHANNELS.backbone });
      return () => t.slack.modal(PEOPLE.bea).submit(PEOPLE.bea);
    },
  },
  work_group_submit: {
    name: 'the new work group form',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', `group <#${CHANNELS.housing}>`, {
        channel: CHANNELS.backbone,
      });
      const form = t.slack.modal(PEOPLE.bea).fill('Name', 'Housing');
      return () => form.submit(PEOPLE.bea);
    },
  },
  action_step_submit: {
    name: 'the /commit form, for someone else (who gets a DM)',
    async arrange(t) {
      await t.slack.command(PEOPLE.fay, '/commit', 'Call the food bank', { channel: CHANNELS.food });
      const form = t.slack
        .modal(PEOPLE.fay)
        .pick('Who will do it', PEOPLE.finn)
        .date('Done by', '2026-11-27');
      return () => form.submit(PEOPLE.fay);
    },
  },
  step_new_date_submit: {
    name: 'the New date form',
    async arrange(t) {
      await stepList(t);
      await t.slack.clickButton(PEOPLE.fay, 'New date', { in: 'ephemeral' });
      const form = t.slack
        .modal(PEOPLE.fay)
        .date('New date', '2026-12-02')
        .fill('Why the date is changing', 'The food bank is closed until Tuesday');
      return () => form.submit(PEOPLE.fay);
    },
  },
  step_drop_submit: {
    name: 'the Drop form',
    async arrange(t) {
      await stepList(t);
      await t.slack.clickButton(PEOPLE.fay, 'Drop', { in: 'ephemeral' });
      const form = t.slack.modal(PEOPLE.fay).fill('Why it is being dropped', 'The pantry found another way');
      return () => form.submit(PEOPLE.fay);
    },
  },
  step_support_submit: {
    name: 'the Need support form (posted to the backbone)',
    async arrange(t) {
      await stepList(t);
      await t.slack.clickButton(PEOPLE.fay, 'Need support', { in: 'ephemeral' });
      const form = t.slack
        .modal(PEOPLE.fay)
        .fill('What help would move this forward', 'An introduction to the director');
      return () => form.submit(PEOPLE.fay);
    },
  },
  checkin_submit: {
    name: 'the weekly check-in form',
    async arrange(t) {
      const form = await checkinForm(t);
      return () => form.submit(PEOPLE.fay);
    },
  },
  proposal_kind_submit: {
    name: 'the first proposal form (its kind)',
    async arrange(t) {
      await t.slack.command(PEOPLE.cora, '/propose', 'Adopt the shared intake form', {
        channel: CHANNELS.core,
      });
      const form = t.slack.modal(PEOPLE.cora).radio('Kind of proposal', 'other');
      return () => form.submit(PEOPLE.cora);
    },
  },
  proposal_submit: {
    name: 'the proposal form (put to the Core)',
    async arrange(t) {
      await t.slack.command(PEOPLE.cora, '/propose', 'Adopt the shared intake form', {
        channel: CHANNELS.core,
      });
      await t.slack.modal(PEOPLE.cora).radio('Kind of proposal', 'other').submit(PEOPLE.cora);
      const form = t.slack.modal(PEOPLE.cora);
      return () => form.submit(PEOPLE.cora);
    },
  },
  proposal_vote_submit: {
    name: 'the reason form of a Block',
    async arrange(t) {
      await openProposal(t);
      await t.slack.clickButton(PEOPLE.ben, 'Block', inCore);
      const form = t.slack
        .modal(PEOPLE.ben)
        .radio('Which shared commitment would it break?', 'accountabilities')
        .fill('Your reason', 'The form asks for too much');
      return () => form.submit(PEOPLE.ben);
    },
  },
  work_group_add: {
    name: 'Add a work group (opens its form)',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
      return () => t.slack.clickButton(PEOPLE.bea, 'Add a work group');
    },
  },
  work_group_edit: {
    name: 'Edit a work group (opens its form)',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', 'group', { channel: CHANNELS.backbone });
      return () => t.slack.clickButton(PEOPLE.bea, 'Edit', { near: 'Food Access' });
    },
  },
  indicator_add: {
    name: 'Add an indicator (opens its form)',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
      return () => t.slack.clickButton(PEOPLE.bea, 'Add an indicator');
    },
  },
  indicator_edit: {
    name: 'Edit an indicator (opens its form)',
    async arrange(t) {
      await defineIndicator(t, { name: 'Households served', unit: 'households', groups: ['Food Access'] });
      await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
      return () => t.slack.clickButton(PEOPLE.bea, 'Edit', { near: 'Households served' });
    },
  },
  indicator_submit: {
    name: 'the new indicator form',
    async arrange(t) {
      await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
      await t.slack.clickButton(PEOPLE.bea, 'Add an indicator');
      await t.settled();
      const form = t.slack
        .modal(PEOPLE.bea)
        .fill('Name', 'Households served')
        .fill('Unit', 'households')
        .selectMany('Reported by', ['Food Access']);
      return () => form.submit(PEOPLE.bea);
    },
  },
  home_open_setup: {
    name: 'Concert settings on App Home (opens the setup form)',
    async arrange(t) {
      await t.slack.event({ type: 'app_home_opened', user: PEOPLE.bea, tab: 'home', channel: 'DBEA' });
      return () => t.slack.clickButton(PEOPLE.bea, 'Concert settings', { in: 'home' });
    },
  },
  step_done: {
    name: 'Done on a step, in the DM that assigned it',
    async arrange(t) {
      await assignedStep(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Done', { in: 'message' });
    },
  },
  step_new_date: {
    name: 'New date on a step (opens its form)',
    async arrange(t) {
      await stepList(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'New date', { in: 'ephemeral' });
    },
  },
  step_drop: {
    name: 'Drop on a step (opens its form)',
    async arrange(t) {
      await stepList(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Drop', { in: 'ephemeral' });
    },
  },
  step_support: {
    name: 'Need support on a step (opens its form)',
    async arrange(t) {
      await stepList(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Need support', { in: 'ephemeral' });
    },
  },
  step_open: {
    name: 'Open on a step (shows its details)',
    async arrange(t) {
      await assignedStep(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Open', { in: 'message' });
    },
  },
  checkin_start: {
    name: 'Start check-in on the weekly prompt (opens the form)',
    async arrange(t) {
      await openRound(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
    },
  },
  checkin_edit: {
    name: 'Edit check-in on the confirmation (opens the form)',
    async arrange(t) {
      const form = await checkinForm(t);
      expect((await form.submit(PEOPLE.fay)).body).toBe('');
      await t.settled();
      return () => t.slack.clickButton(PEOPLE.fay, 'Edit check-in');
    },
  },
  checkin_skip: {
    name: 'Skip this week on the weekly prompt',
    async arrange(t) {
      await openRound(t);
      return () => t.slack.clickButton(PEOPLE.fay, 'Skip this week', { in: 'message' });
    },
  },
  '^checkin_start_group_\\d+$': {
    name: 'a work group chosen from /checkin (opens its form)',
    async arrange(t) {
      t.fake.addChannel({ id: 'CYOUTH', name: 'youth-jobs', members: [PEOPLE.fay, PEOPLE.hal] });
      await addWorkGroup(t, { name: 'Youth Jobs', channel: 'CYOUTH' });
      const asked = await t.slack.command(PEOPLE.fay, '/checkin', '', { channel: CHANNELS.general });
      expect(asked.body.text).toBe('Which work group are you checking in for?');
      return () => t.slack.clickButton(PEOPLE.fay, 'Youth Jobs', { in: 'ephemeral' });
    },
  },
  digest_post: {
    name: 'Post to the backbone channel, on the digest',
    async arrange(t) {
      await digest(t);
      return () => t.slack.clickButton(PEOPLE.bea, 'Post to the backbone channel', { in: 'ephemeral' });
    },
  },
  digest_nudge_all: {
    name: 'Nudge all overdue owners, on the digest',
    async arrange(t) {
      await commitStep(t, PEOPLE.fay, 'Call the food bank', '2026-11-25');
      t.clock.set('2026-11-27T15:00:00Z');
      await digest(t);
      return () => t.slack.clickButton(PEOPLE.bea, 'Nudge all overdue owners', { in: 'ephemeral' });
    },
  },
  proposal_support: {
    name: 'Support on a proposal',
    async arrange(t) {
      await openProposal(t);
      return () => t.slack.clickButton(PEOPLE.ben, 'Support', inCore);
    },
  },
  proposal_stand_aside: {
    name: 'Stand aside on a proposal (opens the reason form)',
    async arrange(t) {
      await openProposal(t);
      return () => t.slack.clickButton(PEOPLE.ben, 'Stand aside', inCore);
    },
  },
  proposal_block: {
    name: 'Block on a proposal (opens the reason form)',
    async arrange(t) {
      await openProposal(t);
      return () => t.slack.clickButton(PEOPLE.ben, 'Block', inCore);
    },
  },
  proposal_support_reason: {
    name: 'Add a reason, after Support (opens the reason form)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.clickButton(PEOPLE.ben, 'Support', inCore);
      return () => t.slack.clickButton(PEOPLE.ben, 'Add a reason', { in: 'ephemeral' });
    },
  },
  proposal_more: {
    name: 'Withdraw, from the proposal’s menu',
    async arrange(t) {
      await openProposal(t);
      return () => t.slack.chooseOption(PEOPLE.cora, 'Withdraw', { in: 'message' });
    },
  },
  proposal_concern_submit: {
    name: 'the concern form',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.carl, 'Raise a concern', { in: 'message' });
      const form = t.slack.modal(PEOPLE.carl).fill('Your concern', 'Who keeps the forms?');
      return () => form.submit(PEOPLE.carl);
    },
  },
  proposal_amend_submit: {
    name: 'the amendment form (whose voters are asked again)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.clickButton(PEOPLE.ben, 'Support', inCore);
      await t.settled();
      await t.slack.chooseOption(PEOPLE.cora, 'Amend the text', { in: 'message' });
      const form = t.slack.modal(PEOPLE.cora).fill('Details', 'From February, not January.');
      return () => form.submit(PEOPLE.cora);
    },
  },
  proposal_resolve_concern: {
    name: 'Mark resolved, on a concern in the thread',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.carl, 'Raise a concern', { in: 'message' });
      await t.slack.modal(PEOPLE.carl).fill('Your concern', 'Who keeps the forms?').submit(PEOPLE.carl);
      await t.settled();
      return () => t.slack.clickButton(PEOPLE.carl, 'Mark resolved', inCore);
    },
  },
  proposal_keep_position: {
    name: 'Keep my position, after an amendment',
    async arrange(t) {
      await openProposal(t);
      await t.slack.clickButton(PEOPLE.ben, 'Support', inCore);
      await t.settled();
      await t.slack.chooseOption(PEOPLE.cora, 'Amend the text', { in: 'message' });
      await t.slack.modal(PEOPLE.cora).fill('Details', 'From February.').submit(PEOPLE.cora);
      await t.settled();
      return () => t.slack.clickButton(PEOPLE.ben, 'Keep my position', { in: 'message' });
    },
  },
  proposal_extend_submit: {
    name: 'the extension form (the voters told)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.cora, 'Extend the deadline', { in: 'message' });
      const form = t.slack.modal(PEOPLE.cora);
      return () => form.submit(PEOPLE.cora);
    },
  },
  proposal_write_statement: {
    name: 'Outcome statement, on a closed proposal (opens its form)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.ben, 'Close the vote now', { in: 'message' });
      await t.settled();
      return () => t.slack.clickButton(PEOPLE.cora, 'Outcome statement', inCore);
    },
  },
  proposal_statement_submit: {
    name: 'the outcome statement form (its next steps made action steps)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.ben, 'Close the vote now', { in: 'message' });
      await t.settled();
      await t.slack.clickButton(PEOPLE.cora, 'Outcome statement', inCore);
      const form = t.slack
        .modal(PEOPLE.cora)
        .fill('What was decided', 'Nothing yet: the Core meets again.')
        .fill('Next step 1', 'Call a meeting')
        .pick('Next step 1 › Who will do it', PEOPLE.fay)
        .date('Next step 1 › Done by', '2026-12-01');
      return () => form.submit(PEOPLE.cora);
    },
  },
  join_request_submit: {
    name: 'the request to join (to the backbone)',
    async arrange(t) {
      await t.slack.command(PEOPLE.hal, '/concert', 'join', { channel: CHANNELS.housing });
      const form = t.slack
        .modal(PEOPLE.hal)
        .fill('Group name', 'Housing')
        .fill('Purpose', 'Tenant organizing')
        .check('The coalition’s expectations', ['willing']);
      return () => form.submit(PEOPLE.hal);
    },
  },
  join_request_propose: {
    name: 'Propose adding this group, on a request to join (opens the proposal form)',
    async arrange(t) {
      await t.slack.command(PEOPLE.hal, '/concert', 'join', { channel: CHANNELS.housing });
      await t.slack
        .modal(PEOPLE.hal)
        .fill('Group name', 'Housing')
        .fill('Purpose', 'Tenant organizing')
        .check('The coalition’s expectations', ['willing'])
        .submit(PEOPLE.hal);
      await t.settled();
      return () =>
        t.slack.clickButton(PEOPLE.bea, 'Propose adding this group', { channel: CHANNELS.backbone });
    },
  },
  proposal_earlier_texts: {
    name: 'Earlier texts, under an amended proposal (opens them)',
    async arrange(t) {
      await openProposal(t);
      await t.slack.chooseOption(PEOPLE.cora, 'Amend the text', { in: 'message' });
      await t.slack.modal(PEOPLE.cora).fill('Details', 'From February.').submit(PEOPLE.cora);
      await t.settled();
      return () => t.slack.clickButton(PEOPLE.carl, 'Earlier texts', inCore);
    },
  },
};

/**
 * Interactions whose once-ness is tested in their own file, and why not here: by ID, the file and reason.
 */
const TESTED_ELSEWHERE: Record<string, string> = {
  // Deleting the workspace's data also deletes the bookkeeping a repeat is found by here, and the person a
  // repeat's request comes from is cached anew by any request: lifecycle/data-deletion.test.ts checks that
  // the deletion and its DM happen once, whatever comes again.
  data_deletion_submit: 'test/app/lifecycle/data-deletion.test.ts',
};

/** The IDs the app routes on, read from its own registrations, so a new one cannot go untested. */
function registeredIds(): string[] {
  const routes = new Routes();
  registerActions(routes, {} as ListenerDeps);
  registerViews(routes, {} as ListenerDeps);
  return routes.interactionIds();
}

const started: TestApp[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

async function scene(interaction: Interaction): Promise<{ t: TestApp; request: Captured }> {
  const t = await startCoalition({ liveTallyIntervalMs: 0 });
  started.push(t);
  t.clock.set(START);
  const act = await interaction.arrange(t);
  await t.settled();
  return { t, request: await capture(t, act) };
}

/** Answered at once, and a form not refused: a repeat closes quietly, as the first one did. */
function expectAnswered(answer: { status: number; body: unknown }) {
  expect(answer.status).toBe(200);
  if (answer.body && typeof answer.body === 'object')
    expect((answer.body as { response_action?: string }).response_action).not.toBe('errors');
}

describe('every form and button acts once per view or message', () => {
  it('covers every interaction the app registers, and nothing it does not', () => {
    expect([...Object.keys(INTERACTIONS), ...Object.keys(TESTED_ELSEWHERE)].sort()).toEqual(
      [...new Set(registeredIds())].sort(),
    );
  });

  for (const [id, interaction] of Object.entries(INTERACTIONS)) {
    it(`${id}: ${interaction.name}, twice at once, twice in a row and redelivered, acts once`, async () => {
      // Once, in one coalition: what a single use changes.
      const one = await scene(interaction);
      const before = await effects(one.t);
      expectAnswered(await deliver(one.t, one.request));
      const once = change(before, await effects(one.t));
      expect(one.t.fake.rejections).toEqual([]);

      // Slack's redelivery of the same request, then a second click or submission on the same surface.
      const afterOnce = await effects(one.t);
      expectAnswered(await deliver(one.t, one.request, 1));
      expectAnswered(await deliver(one.t, again(one.request)));
      expect(change(afterOnce, await effects(one.t))).toEqual({});

      // Twice at once in a second, identical coalition: two clicks, and the same request twice, together.
      const two = await scene(interaction);
      const start = await effects(two.t);
      const second = again(two.request);
      const answers = await Promise.all([
        deliver(two.t, two.request),
        deliver(two.t, second),
        deliver(two.t, two.request),
      ]);
      for (const answer of answers) expectAnswered(answer);
      expect(change(start, await effects(two.t))).toEqual(once);

      // The twin takes effect on another instance between this one's check and its write.
      const three = await scene(interaction);
      const beforeThree = await effects(three.t);
      const gate = twinAfterFirstCheck(() => deliver(three.t, again(three.request)));
      const other = await startTestApp({
        db: three.t.db.withPlugin(gate.plugin),
        fake: three.t.fake,
        clock: three.t.clock,
      });
      started.push(other);
      expectAnswered(await deliver(other, three.request));
      const twin = gate.interleaved();
      if (twin) expectAnswered(await twin);
      else expectAnswered(await deliver(three.t, again(three.request)));
      await other.settled();
      expect(change(beforeThree, await effects(three.t))).toEqual(once);
    });
  }
});
