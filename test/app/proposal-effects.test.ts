import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { applyDecision, closeProposal } from '../../src/services/proposal-closing.js';
import { queuedMessageStillWanted } from '../../src/services/still-wanted.js';
import { webDirectory } from '../../src/slack/web-directory.js';
import { webSender } from '../../src/slack/web-sender.js';
import { startTestApp, type TestApp } from '../harness/app.js';
import {
  addWorkGroup,
  CHANNELS,
  commitStep,
  PEOPLE,
  recordedMembers,
  startCoalition,
} from '../harness/coalition.js';
import { groupVote, latestProposal, propose, threadOf, vote } from '../harness/proposals.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
  t.fake.addUser({ id: 'UYARA', name: 'yara', tz: 'America/New_York' });
  t.fake.addChannel({ id: 'CYOUTH', name: 'youth-voice', members: ['UYARA', PEOPLE.fay] });
  t.fake.addChannel({ id: 'CTRANSIT', name: 'transit', members: [PEOPLE.hal] });
  t.fake.addChannel({ id: 'CTWINS', name: 'twins', members: [PEOPLE.finn] });
  t.fake.addChannel({ id: 'CNEWBB', name: 'new-backbone', members: [PEOPLE.hal] });
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const everyoneSupports = async () => {
  for (const user of [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]) await vote(t, user, 'Support');
};
const groupsNamed = (name: string) =>
  t.db.selectFrom('work_groups').selectAll().where('name', '=', name).execute();
const closingSlack = () => ({
  directory: webDirectory(t.concert.app.client, t.concert.botUserId),
  sender: webSender(t.concert.app.client),
  log: t.log,
  stillWanted: queuedMessageStillWanted(t.db),
});

describe('a decision that reaches consensus takes effect', () => {
  it('adds a work group bound to its channel, with check-ins on the default schedule, once', async () => {
    const answer = await propose(t, PEOPLE.bea, 'Welcome Youth Voice', 'add_work_group', (form) => {
      form.fill('New work group’s name', 'Youth Voice').pick('Its channel', 'CYOUTH');
    });
    expect(answer.body).toBe('');
    await everyoneSupports();
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({ status: 'closed', outcome: 'consensus', close_reason: 'all_voted' });
    expect(proposal.effect_applied_at).toEqual(t.clock.now());
    const [group] = await groupsNamed('Youth Voice');
    expect(group).toMatchObject({
      channel_id: 'CYOUTH',
      status: 'active',
      checkin_weekday: 1,
      checkin_minute: 600,
      tz_mode: 'group',
      tz: 'America/New_York',
      created_by: PEOPLE.bea,
    });
    expect(await recordedMembers(t, 'CYOUTH')).toEqual([PEOPLE.fay, 'UYARA']);
    expect(threadOf(t, 'Welcome Youth Voice')[0]?.blocks?.at(-1)?.text?.text).toBe(
      'The work group *Youth Voice* now works in <#CYOUTH> and checks in Mondays at 10:00 (America/New_York).',
    );

    // Retried, the close and the effect find their work done and do nothing.
    expect(await applyDecision(t.db, proposal, t.clock.now())).toBeUndefined();
    const again = await closeProposal(
      t.db,
      closingSlack(),
      { teamId: proposal.team_id, proposalId: proposal.id, reason: 'deadline', by: null },
      t.clock.now(),
    );
    expect(again).toMatchObject({ ok: false, reason: 'already-closed' });
    expect(await groupsNamed('Youth Voice')).toHaveLength(1);
    expect(threadOf(t, 'Welcome Youth Voice')).toHaveLength(1);
  });

  it('ends a work group partnership: no more nudges, its history kept', async () => {
    // Finn's only work group is food, so his step belongs to it.
    await commitStep(t, PEOPLE.finn, 'Deliver the boxes', '2026-11-25');
    // Only a representative may propose it: Carl is in the Core but not in the food group.
    await t.slack.command(PEOPLE.carl, '/propose', 'End food', { channel: CHANNELS.core });
    const refused = await t.slack
      .modal(PEOPLE.carl)
      .radio('Kind of proposal', 'end_work_group')
      .submit(PEOPLE.carl);
    expect(t.slack.fieldErrors(refused)).toEqual({
      'Kind of proposal':
        'Only a work group’s representatives (members of both its channel and the Core channel) can propose ending its partnership.',
    });
    const answer = await propose(
      t,
      PEOPLE.cora,
      'Thank and release Food Access',
      'end_work_group',
      (form) => {
        expect(form.value('Work group').selected_option.text.text).toBe('Food Access');
      },
    );
    expect(answer.body).toBe('');
    // The group agrees among itself first; then the Core.
    for (const user of [PEOPLE.cora, PEOPLE.fay, PEOPLE.finn])
      await groupVote(t, user, 'Thank and release Food Access', 'Support');
    await t.settled();
    expect((await groupsNamed('Food Access'))[0]?.status).toBe('active');
    await everyoneSupports();
    const [food] = await groupsNamed('Food Access');
    expect(food).toMatchObject({ status: 'ended', ended_at: t.clock.now() });
    const steps = await t.db
      .selectFrom('action_steps')
      .selectAll()
      .where('work_group_id', '=', food?.id ?? 0)
      .execute();
    // Its history is kept: Finn's step, and the backbone's step to explore supports before the group decided.
    expect(steps.map((s) => s.title).sort()).toEqual([
      'Deliver the boxes',
      'Explore supports with Food Access',
    ]);
    // Finn's 09:00 in Berlin, the day before and the day it is due.
    await fireSlot(t, 'nudges', new Date('2026-11-24T08:00:00Z'));
    await fireSlot(t, 'nudges', new Date('2026-11-25T08:00:00Z'));
    expect(t.fake.messages(PEOPLE.finn).filter((m) => m.text.includes('Deliver the boxes'))).toEqual([]);
  });

  it('reports an effect that cannot be applied in the thread and to the backbone, and stores why', async () => {
    await propose(t, PEOPLE.bea, 'Welcome Transit', 'add_work_group', (form) => {
      form.fill('New work group’s name', 'Transit').pick('Its channel', 'CTRANSIT');
    });
    // Meanwhile the backbone binds that channel to a group of its own.
    await addWorkGroup(t, { name: 'Transit Riders', channel: 'CTRANSIT' });
    t.fake.clearCalls();
    await everyoneSupports();
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({
      outcome: 'consensus',
      effect_applied_at: null,
      effect_error: '<#CTRANSIT> already belongs to the work group “Transit Riders”.',
    });
    const failure =
      ':warning: Welcome Transit reached consensus, but Concert could not put it into effect: <#CTRANSIT> already belongs to the work group “Transit Riders”. The backbone needs to do it by hand or bring a new proposal.';
    expect(threadOf(t, 'Welcome Transit').map((m) => m.text)).toEqual([
      'Consensus reached: Welcome Transit',
      failure,
    ]);
    expect(t.fake.messages(CHANNELS.backbone).at(-1)?.text).toBe(failure);
    expect(await groupsNamed('Transit')).toEqual([]);
  });

  it('closes every due proposal in a sweep, though the first one’s effect fails in the database', async () => {
    t.fake.addChannel({ id: 'CDOOMED', name: 'doomed', members: [PEOPLE.hal] });
    await propose(t, PEOPLE.bea, 'Welcome the Doomed', 'add_work_group', (form) => {
      form
        .fill('New work group’s name', 'Doomed')
        .pick('Its channel', 'CDOOMED')
        .date('Voting closes on', '2026-11-26')
        .time('at', '10:00');
    });
    const doomed = await latestProposal(t);
    expect(doomed.closes_at).toEqual(new Date('2026-11-26T16:00:00Z'));
    await vote(t, PEOPLE.ben, 'Support');
    await vote(t, PEOPLE.cora, 'Support');
    await propose(t, PEOPLE.carl, 'Close me too', 'other', (form) => {
      // Half an hour after the other (Carl's 09:30 in Denver is 16:30 UTC; Bea's 10:00 in Chicago, 16:00).
      form.date('Voting closes on', '2026-11-26').time('at', '09:30');
    });
    const other = await latestProposal(t);
    expect(other.closes_at).toEqual(new Date('2026-11-26T16:30:00Z'));
    await vote(t, PEOPLE.cora, 'Support');
    // As when another writer takes the name between the effect's check and its insert, the database
    // refuses the new group, inside the close's transaction.
    await sql`alter table work_groups add constraint name_taken check (name <> 'Doomed')`.execute(t.db);
    try {
      t.fake.clearCalls();
      await fireSlot(t, 'proposals', new Date('2026-11-26T17:00:00Z'));
    } finally {
      await sql`alter table work_groups drop constraint name_taken`.execute(t.db);
    }
    const closed = await t.db
      .selectFrom('proposals')
      .selectAll()
      .where('id', 'in', [doomed.id, other.id])
      .orderBy('id')
      .execute();
    expect(closed.map((p) => [p.title, p.status, p.outcome, p.close_reason, p.effect_applied_at])).toEqual([
      ['Welcome the Doomed', 'closed', 'consensus', 'deadline', null],
      ['Close me too', 'closed', 'no_quorum', 'deadline', null],
    ]);
    expect(closed[0]?.effect_error).toMatch(/^the change failed with an error \(.*name_taken.*\)\.$/);
    expect(await groupsNamed('Doomed')).toEqual([]);
    const failure = `:warning: Welcome the Doomed reached consensus, but Concert could not put it into effect: ${closed[0]?.effect_error} The backbone needs to do it by hand or bring a new proposal.`;
    expect(threadOf(t, 'Welcome the Doomed').map((m) => m.text)).toEqual([
      'Consensus reached: Welcome the Doomed',
      failure,
    ]);
    expect(t.fake.messages(CHANNELS.backbone).at(-1)?.text).toBe(failure);
    expect(threadOf(t, 'Close me too').map((m) => m.text)).toEqual(['No quorum: Close me too']);
  });

  it('closes at the deadline once with two instances on one database, applying the effect once', async () => {
    const url = t.database?.url;
    const secondDb: Db = url ? postgresDatabase(url) : t.db;
    const second = await startTestApp({ db: secondDb, fake: t.fake });
    try {
      await propose(t, PEOPLE.bea, 'Welcome Twins', 'add_work_group', (form) => {
        form.fill('New work group’s name', 'Twins').pick('Its channel', 'CTWINS');
      });
      await vote(t, PEOPLE.ben, 'Support');
      await vote(second, PEOPLE.cora, 'Support');
      const deadline = new Date('2026-11-30T15:00:00Z');
      second.clock.set(deadline);
      t.clock.set(deadline);
      const ran = await Promise.all([
        fireSlot(t, 'proposals', deadline, 'a'),
        fireSlot(second, 'proposals', deadline, 'b'),
        // As if the instances' clocks disagreed about the slot: both run the job at the same moment too.
        jobFor(t, 'proposals').run(deadline),
        jobFor(second, 'proposals').run(deadline),
      ]);
      expect(ran.slice(0, 2).filter(Boolean)).toHaveLength(1);
      await second.settled();
      await t.settled();
      expect(await latestProposal(t)).toMatchObject({
        status: 'closed',
        outcome: 'consensus',
        close_reason: 'deadline',
      });
      expect(await groupsNamed('Twins')).toHaveLength(1);
      expect(threadOf(t, 'Welcome Twins')).toHaveLength(1);
      const finals = t.fake
        .callsTo('chat.update')
        .filter((c) => String(c.args.text).startsWith('Proposal: Welcome Twins (Consensus'));
      expect(finals).toHaveLength(1);
    } finally {
      await second.stop();
      if (secondDb !== t.db) await secondDb.destroy();
    }
  });

  it('changes the backbone channel, and its members become the backbone', async () => {
    await propose(t, PEOPLE.carl, 'Hand over to the new backbone', 'change_backbone', (form) => {
      form.pick('New backbone channel', 'CNEWBB');
      form.radio('Which of the charter’s reasons applies?', 'better_placed');
    });
    await everyoneSupports();
    const workspace = await t.db.selectFrom('workspaces').selectAll().executeTakeFirstOrThrow();
    expect(workspace.backbone_channel_id).toBe('CNEWBB');
    expect(await recordedMembers(t, 'CNEWBB')).toEqual([PEOPLE.hal]);
    await t.slack.command(PEOPLE.hal, '/concert', 'group', { channel: 'CNEWBB' });
    expect(t.fake.messages(PEOPLE.hal).at(-1)?.text ?? '').not.toMatch(/^Only members/);
    expect(threadOf(t, 'Hand over to the new backbone')[0]?.blocks?.at(-1)?.text?.text).toBe(
      '<#CNEWBB> is now the backbone channel.',
    );
  });

  it('joins the decision log', async () => {
    await t.slack.command(PEOPLE.fay, '/concert', 'decisions', { channel: CHANNELS.general });
    const log = t.fake.ephemerals(PEOPLE.fay).at(-1);
    const lines = JSON.stringify(log?.blocks);
    for (const title of [
      'Welcome Youth Voice',
      'Thank and release Food Access',
      'Welcome Transit',
      'Welcome Twins',
    ]) {
      expect(lines).toContain(`*${title}* — *Consensus reached*`);
    }
    expect(lines).toContain(':warning: not put into effect');
    expect(t.fake.rejections).toEqual([]);
  });
});
