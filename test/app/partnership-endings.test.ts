import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { parseCsv } from '../../src/services/csv.js';
import { openCoreFromGroup, startPartnershipEnding } from '../../src/services/partnership-endings.js';
import { applyDecision, closeProposal } from '../../src/services/proposal-closing.js';
import { queuedMessageStillWanted } from '../../src/services/still-wanted.js';
import { webDirectory } from '../../src/slack/web-directory.js';
import { webSender } from '../../src/slack/web-sender.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  propose,
  setCore,
  groupPost as sharedGroupPost,
  groupVote as sharedGroupVote,
  threadOf,
  vote,
} from '../harness/proposals.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

// Ending a partnership as the charter says: the work group's own vote in its channel first, an action step
// to explore supports for the backbone and the representatives, and only after the group's consensus the
// Core's proposal, opened once, presented by the representatives and naming the group's decision.

// biome-ignore lint/suspicious/noExplicitAny: blocks are arbitrary JSON
type Json = any;

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20, publicRecords: true });
  // Fay sits in the Core too: with Cora, Food Access has two representatives.
  await setCore(t, [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl, PEOPLE.fay]);
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const dmOf = (user: string) => t.fake.messages(t.fake.dmChannelOf(user));
const blocksOf = (m: { blocks?: unknown[] | undefined } | undefined) => JSON.stringify(m?.blocks ?? []);
const food = () =>
  t.db
    .selectFrom('work_groups')
    .selectAll()
    .where('channel_id', '=', CHANNELS.food)
    .executeTakeFirstOrThrow();
const proposalsTitled = (title: string) =>
  t.db.selectFrom('proposals').selectAll().where('title', '=', title).orderBy('id').execute();

const groupPost = (title: string) => sharedGroupPost(t, title);
const groupVote = (user: string, title: string, button: 'Support' | 'Stand aside' | 'Block') =>
  sharedGroupVote(t, user, title, button);

/** A representative (Cora) starts ending Food Access's partnership through `/propose`. */
async function startEnding(title: string, fill: (form: Json) => void = () => {}) {
  const answer = await propose(t, PEOPLE.cora, title, 'end_work_group', fill);
  expect(answer.body).toBe('');
  await t.settled();
  const [group] = await proposalsTitled(title);
  if (!group) throw new Error(`no proposal “${title}”`);
  return group;
}

const closingSlack = () => ({
  directory: webDirectory(t.concert.app.client, t.concert.botUserId),
  sender: webSender(t.concert.app.client),
  log: t.log,
  stillWanted: queuedMessageStillWanted(t.db),
});

describe('ending a partnership starts with the work group', () => {
  it('opens the group’s own vote in its channel, with the explore step for the backbone and the representatives told', async () => {
    const group = await startEnding('We are winding down');
    expect(group).toMatchObject({
      kind: 'end_work_group',
      stage: 'group',
      channel_id: CHANNELS.food,
      proposer_id: PEOPLE.cora,
      status: 'open',
      closes_at: new Date('2026-11-30T15:00:00Z'),
    });
    const voters = await t.db
      .selectFrom('proposal_voters')
      .select('user_id')
      .where('proposal_id', '=', group.id)
      .orderBy('user_id')
      .execute();
    // The group's members, never its channel's bot; not the Core.
    expect(voters.map((v) => v.user_id)).toEqual([PEOPLE.cora, PEOPLE.fay, PEOPLE.finn]);
    // Nothing goes to the Core yet.
    expect(t.fake.messages(CHANNELS.core).filter((m) => m.text.startsWith('Proposal:'))).toEqual([]);
    const post = groupPost('We are winding down');
    expect(blocksOf(post)).toContain('3 eligible members of Food Access · 2 votes needed');
    expect(blocksOf(post)).toContain('*Food Access decides first*');

    // The explore step: the backbone's, due the day the group's vote closes, linked to it.
    const steps = await t.db
      .selectFrom('action_steps')
      .selectAll()
      .where('source', '=', 'partnership')
      .execute();
    expect(steps).toMatchObject([
      {
        title: 'Explore supports with Food Access',
        owner_id: PEOPLE.bea,
        created_by: PEOPLE.cora,
        due_date: '2026-11-30',
        source_ref: `proposal:${group.id}`,
        work_group_id: (await food()).id,
        status: 'open',
      },
    ]);
    expect(dmOf(PEOPLE.bea).some((m) => blocksOf(m).includes('Explore supports with Food Access'))).toBe(
      true,
    );
    // The other representative and the backbone channel are told, in words; Cora hears where it is.
    const toFay = dmOf(PEOPLE.fay).filter((m) => m.text.startsWith('Food Access: ending its partnership'));
    expect(toFay).toHaveLength(1);
    expect(blocksOf(toFay[0])).toContain(
      'only if it agrees do you, its representatives, present it to the Core',
    );
    expect(blocksOf(toFay[0])).toContain(`<@${PEOPLE.bea}> of the backbone owns the action step`);
    expect(
      t.fake
        .messages(CHANNELS.backbone)
        .filter((m) => m.text.startsWith('Food Access: ending its partnership')),
    ).toHaveLength(1);
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text ?? dmOf(PEOPLE.cora).at(-1)?.text).toContain(
      'for the work group’s own decision first',
    );

    // One ending at a time: Fay, the other representative, is told under the field while it is open.
    const second = await propose(t, PEOPLE.fay, 'Let us end it', 'end_work_group');
    expect(t.slack.fieldErrors(second)).toEqual({
      'Work group':
        'Ending Food Access’s partnership is already open for the group’s own vote (“We are winding down”), until Mon 30 Nov. Vote there, or wait for it to close.',
    });
    expect(await proposalsTitled('Let us end it')).toEqual([]);

    // Only the group's members vote: Carl (Core, not Food Access) is refused in words, nothing recorded.
    await groupVote(PEOPLE.carl, 'We are winding down', 'Support');
    expect(t.fake.ephemerals(PEOPLE.carl).at(-1)?.text).toBe(
      'Only the members of the work group’s channel <#CFOOD> when *We are winding down* was put to them can vote on it: ending a partnership is the group’s own decision first. Nothing was recorded.',
    );
    await groupVote(PEOPLE.fay, 'We are winding down', 'Support');
    await t.settled();
    const votes = await t.db
      .selectFrom('proposal_votes')
      .selectAll()
      .where('proposal_id', '=', group.id)
      .execute();
    expect(votes.map((v) => [v.voter_id, v.position])).toEqual([[PEOPLE.fay, 'support']]);
    expect(t.fake.rejections).toEqual([]);
  });

  it('blocked by a member: no Core proposal, the representatives told why, the group’s decision kept', async () => {
    await groupVote(PEOPLE.cora, 'We are winding down', 'Support');
    await groupVote(PEOPLE.finn, 'We are winding down', 'Block');
    const form = t.slack.modal(PEOPLE.finn);
    form.radio('Which shared commitment would it break?', 'common_agenda');
    form.fill('Your reason', 'Our neighbourhood still needs the pantry.');
    expect((await form.submit(PEOPLE.finn)).body).toBe('');
    await t.settled();
    const [group] = await proposalsTitled('We are winding down');
    // Every member voted: it closed, blocked, and nothing was opened in the Core.
    expect(group).toMatchObject({
      stage: 'group',
      status: 'closed',
      outcome: 'blocked',
      effect_applied_at: null,
    });
    expect(await t.db.selectFrom('proposals').selectAll().where('stage', '=', 'core').execute()).toEqual([]);
    expect(t.fake.messages(CHANNELS.core).filter((m) => m.text.startsWith('Proposal:'))).toEqual([]);
    expect((await food()).status).toBe('active');
    for (const rep of [PEOPLE.cora, PEOPLE.fay]) {
      const told = dmOf(rep).filter((m) => m.text.startsWith('Food Access: the group’s vote on ending'));
      expect(told).toHaveLength(1);
      expect(blocksOf(told[0])).toContain(
        'closed *Blocked*: a member blocked it. Nothing goes to the Core, and the partnership continues.',
      );
    }
    // The group's channel has the outcome with the Block's ground and reason; the decision log keeps it.
    const outcome = t.fake.messages(CHANNELS.food).find((m) => m.text === 'Blocked: We are winding down');
    expect(blocksOf(outcome)).toContain('Our neighbourhood still needs the pantry.');
    await t.slack.command(PEOPLE.carl, '/concert', 'decisions', { channel: CHANNELS.general });
    expect(blocksOf(t.fake.ephemerals(PEOPLE.carl).at(-1))).toContain(
      '*We are winding down* — *Blocked* · End a partnership: the work group’s own vote',
    );
    expect(t.fake.rejections).toEqual([]);
  });

  // Two representatives submitting the form at the same moment both pass its check.
  it('open one group vote: the database refuses the second, and says so under its field', async () => {
    const first = await startEnding('End Food Access: the first of two at once');
    // The second form passed its check before the first was stored: it reaches the opening itself.
    const group = await food();
    const second = await startPartnershipEnding(
      t.db,
      closingSlack().directory,
      {
        teamId: first.team_id,
        proposerId: PEOPLE.fay,
        coreChannelId: CHANNELS.core,
        kind: 'end_work_group',
        title: 'End Food Access: the second of two at once',
        details: null,
        payload: { workGroupId: group.id },
        quorum: first.quorum,
        standAsideLimit: first.stand_aside_limit,
        closesAt: first.closes_at,
      },
      'V-SECOND-AT-ONCE',
      t.clock.now(),
    );
    expect(second).toEqual({
      ok: false,
      errors: {
        workGroup:
          'Another representative has just opened Food Access’s own vote on ending its partnership. Vote there, in its channel.',
      },
    });
    const open = await t.db
      .selectFrom('proposals')
      .select('title')
      .where('kind', '=', 'end_work_group')
      .where('stage', '=', 'group')
      .where('status', '=', 'open')
      .execute();
    expect(open).toEqual([{ title: 'End Food Access: the first of two at once' }]);
    expect(await proposalsTitled('End Food Access: the second of two at once')).toEqual([]);
    // Its deadline passes with nobody voting: it closes, so the next start finds no vote open.
    await fireSlot(t, 'proposals', new Date(first.closes_at.getTime() + 60_000));
    expect(await proposalsTitled('End Food Access: the first of two at once')).toMatchObject([
      { status: 'closed' },
    ]);
  });

  it('two instances closing the group’s vote at its deadline open the Core’s proposal once', async () => {
    const url = t.database?.url;
    const secondDb: Db = url ? postgresDatabase(url) : t.db;
    const second = await startTestApp({ db: secondDb, fake: t.fake });
    try {
      await startEnding('Time to part', (form) => {
        form.date('Voting closes on', '2026-11-25').time('at', '09:00');
      });
      await groupVote(PEOPLE.cora, 'Time to part', 'Support');
      await groupVote(PEOPLE.fay, 'Time to part', 'Support');
      await t.settled();
      // Cora's 09:00 in Los Angeles.
      const deadline = new Date('2026-11-25T17:00:00Z');
      second.clock.set(deadline);
      t.clock.set(deadline);
      await Promise.all([
        fireSlot(t, 'proposals', deadline, 'a'),
        fireSlot(second, 'proposals', deadline, 'b'),
        jobFor(t, 'proposals').run(deadline),
        jobFor(second, 'proposals').run(deadline),
      ]);
      await second.settled();
      await t.settled();
      const [group, core, ...more] = await proposalsTitled('Time to part');
      expect(more).toEqual([]);
      expect(group).toMatchObject({ stage: 'group', outcome: 'consensus', close_reason: 'deadline' });
      expect(core).toMatchObject({
        stage: 'core',
        kind: 'end_work_group',
        status: 'open',
        channel_id: CHANNELS.core,
        group_decision_id: group?.id,
        proposer_id: PEOPLE.cora,
      });
      expect(
        t.fake.messages(CHANNELS.core).filter((m) => m.text.startsWith('Proposal: Time to part')),
      ).toHaveLength(1);

      // A redelivered close, a retried effect, a second opening: each finds the Core's proposal opened.
      const again = await closeProposal(
        t.db,
        closingSlack(),
        { teamId: group?.team_id ?? '', proposalId: group?.id ?? 0, reason: 'deadline', by: null },
        deadline,
      );
      expect(again).toMatchObject({ ok: false, reason: 'already-closed' });
      expect(await applyDecision(t.db, group!, deadline)).toBeUndefined();
      const reopened = await t.db
        .transaction()
        .execute((tx) => openCoreFromGroup(tx, closingSlack().directory, group!, deadline));
      expect(reopened).toMatchObject({ applied: true, ids: [] });
      await t.settled();
      expect(await proposalsTitled('Time to part')).toHaveLength(2);
      expect(
        t.fake.messages(CHANNELS.core).filter((m) => m.text.startsWith('Proposal: Time to part')),
      ).toHaveLength(1);
      // The Core's proposal names the group's decision and its presenters, and leaves the group active.
      const post = t.fake.messages(CHANNELS.core).find((m) => m.text.startsWith('Proposal: Time to part'));
      expect(blocksOf(post)).toContain(
        `Presented by <@${PEOPLE.cora}> and <@${PEOPLE.fay}>, its representatives.`,
      );
      expect(blocksOf(post)).toContain('*The work group decided first:* Consensus reached in <#CFOOD>');
      expect(blocksOf(post)).toContain('2 of 3 members voted: 2 support, 0 stand aside, 0 block.');
      // It links to the group's own vote, as Slack gives the link.
      const groupPost = t.fake
        .messages(CHANNELS.food)
        .find((m) => m.text.startsWith('Proposal: Time to part'));
      const { permalink } = await t.concert.app.client.chat.getPermalink({
        channel: CHANNELS.food,
        message_ts: groupPost?.ts ?? '',
      });
      expect(permalink).toBeTruthy();
      expect(blocksOf(post)).toContain(`<${permalink}|Its vote, reasons and thread> are in that channel.`);
      expect(blocksOf(post)).toContain('4 eligible Core members');
      expect((await food()).status).toBe('active');
      const told = dmOf(PEOPLE.fay).filter((m) =>
        m.text.startsWith('Food Access: the group’s vote on ending'),
      );
      expect(blocksOf(told.at(-1))).toContain(
        'reached *consensus*. Its proposal is now open for the Core’s vote in <#CCORE>',
      );
      expect(t.fake.rejections).toEqual([]);
    } finally {
      await second.stop();
      if (secondDb !== t.db) await secondDb.destroy();
    }
  });

  it('ends the partnership only after the Core’s consensus, and its outcome statement asks how the gap will be filled', async () => {
    t.clock.set('2026-11-25T18:00:00Z');
    for (const user of [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]) await vote(t, user, 'Support');
    await t.settled();
    expect((await food()).status).toBe('active');
    await vote(t, PEOPLE.fay, 'Support');
    await t.settled();
    const [, core] = await proposalsTitled('Time to part');
    expect(core).toMatchObject({ status: 'closed', outcome: 'consensus' });
    expect(core?.effect_applied_at).toEqual(t.clock.now());
    expect(await food()).toMatchObject({ status: 'ended', ended_at: t.clock.now() });

    await t.slack.clickButton(PEOPLE.cora, 'Outcome statement', { in: 'message', channel: CHANNELS.core });
    const form = t.slack.modal(PEOPLE.cora).fill('What was decided', 'Food Access ends its partnership.');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.cora))).toEqual({
      'How will the gap left by the group be filled?':
        'Say how the gap the work group leaves will be filled: who takes on its part of the common agenda.',
    });
    form.fill('How will the gap left by the group be filled?', 'Housing takes on the pantry referrals.');
    expect((await form.submit(PEOPLE.cora)).body).toBe('');
    await t.settled();
    const statement = await t.db
      .selectFrom('proposal_statements')
      .selectAll()
      .where('proposal_id', '=', core?.id ?? 0)
      .executeTakeFirstOrThrow();
    expect(statement.gap).toBe('Housing takes on the pantry referrals.');
    const reply = t.fake.messages(CHANNELS.core).find((m) => m.text === 'Outcome statement: Time to part');
    expect(blocksOf(reply)).toContain('*How the gap left by the group will be filled*');
    expect(threadOf(t, 'Time to part').map((m) => m.text)).toContain('Consensus reached: Time to part');

    // The export keeps both stages, the Core's naming the group's decision it came from.
    await t.slack.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    await t.settled();
    const exported = [...t.fake.uploads.files.values()].find((f) =>
      f.filename.startsWith('concert-decisions'),
    );
    const [header = [], ...rows] = parseCsv((exported as { content: Buffer }).content.toString('utf8'));
    const col = (row: string[], name: string) => row[header.indexOf(name)];
    const mine = rows.filter((r) => col(r, 'title') === 'Time to part');
    const [group] = await proposalsTitled('Time to part');
    expect(new Set(mine.map((r) => `${col(r, 'stage')}:${col(r, 'group_decision_id')}`))).toEqual(
      new Set(['group:', `core:${group?.id}`]),
    );
    expect(mine.find((r) => col(r, 'stage') === 'core')?.[header.indexOf('gap_filled_by')]).toBe(
      'Housing takes on the pantry referrals.',
    );
    // The public records show the group's own decision beside the Core's.
    const records = (await (await fetch(`${t.url}/records.json`)).json()) as {
      decisions: { title: string; stage?: string; outcome: string }[];
    };
    expect(
      records.decisions.filter((d) => d.title === 'Time to part').map((d) => [d.stage ?? 'core', d.outcome]),
    ).toEqual([
      ['core', 'consensus'],
      ['group', 'consensus'],
    ]);
    const page = await (await fetch(`${t.url}/records`)).text();
    expect(page).toContain('End a partnership: the work group’s own vote');
    expect(t.fake.rejections).toEqual([]);
  });
});
