import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/services/csv.js';
import { figures } from '../../src/services/follow-through.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { proposalMenu } from '../harness/concerns.js';
import { stepFigures } from '../harness/figures.js';
import { latestProposal, proposalPost, propose, threadOf, vote } from '../harness/proposals.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

// More time, and a record of what was decided: an extension that moves the close and the reminder and
// holds across a restart and two instances; an outcome statement whose next steps become action steps,
// nudged and counted like any other.

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20, publicRecords: true });
});
afterAll(() => t.stop());

const dmOf = (user: string) => t.fake.messages(t.fake.dmChannelOf(user));
const at = (iso: string) => new Date(iso);

describe('an extension of the deadline', () => {
  it('moves the close and the reminder, survives a restart, and two instances close the vote once', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await propose(t, PEOPLE.carl, 'Longer hours');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({
      closes_at: at('2026-11-30T15:00:00Z'),
      remind_at: at('2026-11-29T15:00:00Z'),
    });
    await vote(t, PEOPLE.cora, 'Support');

    // Cora may not extend Carl's vote; Carl may, in his own time zone (Denver).
    await proposalMenu(t, PEOPLE.cora, 'Longer hours', 'Extend the deadline');
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toContain(
      `Only <@${PEOPLE.carl}>, who proposed it, or a member of the backbone channel`,
    );
    await proposalMenu(t, PEOPLE.carl, 'Longer hours', 'Extend the deadline');
    const form = t.slack.modal(PEOPLE.carl);
    expect(form.value('Voting now closes on').selected_date).toBe('2026-12-01');
    expect(form.value('at').selected_time).toBe('08:00');
    form.date('Voting now closes on', '2026-11-29');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.carl))).toEqual({
      'Voting now closes on': 'Choose a later time than the vote closes now: an extension gives more time.',
    });
    form.date('Voting now closes on', '2026-12-03');
    expect((await form.submit(PEOPLE.carl)).body).toBe('');
    await t.settled();
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({
      status: 'open',
      closes_at: at('2026-12-03T15:00:00Z'),
      remind_at: at('2026-12-02T15:00:00Z'),
    });
    expect(await t.db.selectFrom('proposal_extensions').selectAll().execute()).toMatchObject([
      {
        proposal_id: proposal.id,
        old_closes_at: at('2026-11-30T15:00:00Z'),
        new_closes_at: at('2026-12-03T15:00:00Z'),
        extended_by: PEOPLE.carl,
      },
    ]);
    // The voters are told, the thread too, and the message shows the new close beside the old.
    for (const voter of [PEOPLE.ben, PEOPLE.cora])
      expect(
        dmOf(voter).filter((m) => m.text.startsWith('The vote on Longer hours was extended')),
      ).toHaveLength(1);
    expect(
      threadOf(t, 'Longer hours').some((m) => m.text.startsWith('The vote on Longer hours was extended')),
    ).toBe(true);
    expect(JSON.stringify(proposalPost(t, 'Longer hours').blocks)).toContain(
      `(extended from <!date^${Date.parse('2026-11-30T15:00:00Z') / 1000}^{date_short_pretty} at {time}|2026-11-30 15:00 UTC>)`,
    );

    // A restart: a second instance on the same database, knowing nothing the first held in memory.
    const t2 = await startTestApp({ db: t.db, fake: t.fake, clock: t.clock, liveTallyIntervalMs: 20 });
    try {
      const reminders = () =>
        t.db.selectFrom('outbox').select('channel_id').where('kind', '=', 'proposal_reminder').execute();
      await fireSlot(t2, 'proposals', at('2026-11-29T15:00:00Z'), 'second');
      await fireSlot(t2, 'proposals', at('2026-11-30T15:00:00Z'), 'second');
      expect(await latestProposal(t)).toMatchObject({ status: 'open' });
      expect(await reminders()).toEqual([]);
      await fireSlot(t2, 'proposals', at('2026-12-02T15:00:00Z'), 'second');
      expect((await reminders()).map((r) => r.channel_id).sort()).toEqual([PEOPLE.ben, PEOPLE.carl].sort());

      // At the new close both instances sweep at once: the vote closes once, its outcome posted once.
      t.clock.set('2026-12-03T15:00:00Z');
      await Promise.all([
        jobFor(t, 'proposals').run(at('2026-12-03T15:00:00Z')),
        jobFor(t2, 'proposals').run(at('2026-12-03T15:00:00Z')),
      ]);
      await Promise.all([t.settled(), t2.settled()]);
    } finally {
      await t2.stop();
    }
    expect(await latestProposal(t)).toMatchObject({ status: 'closed', close_reason: 'deadline' });
    const outcomes = await t.db
      .selectFrom('outbox')
      .select('status')
      .where('kind', '=', 'proposal_outcome')
      .where('dedupe_key', '=', String(proposal.id))
      .execute();
    expect(outcomes).toEqual([{ status: 'sent' }]);
    expect(threadOf(t, 'Longer hours').filter((m) => m.text.endsWith(': Longer hours'))).toHaveLength(1);
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('an outcome statement', () => {
  it('makes its three next steps action steps, nudged like any other and counted in the digest', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await propose(t, PEOPLE.carl, 'Run a food drive');
    await t.settled();
    for (const voter of [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl]) await vote(t, voter, 'Support');
    await t.settled();
    const proposal = await latestProposal(t);
    expect(proposal).toMatchObject({ status: 'closed', outcome: 'consensus' });

    // Only the proposer or the backbone writes it.
    await t.slack.clickButton(PEOPLE.cora, 'Outcome statement', { in: 'message' });
    expect(t.fake.ephemerals(PEOPLE.cora).at(-1)?.text).toContain(
      `Only <@${PEOPLE.carl}>, who proposed it, or a member of the backbone channel`,
    );
    await t.slack.clickButton(PEOPLE.carl, 'Outcome statement', { in: 'message' });
    const form = t.slack
      .modal(PEOPLE.carl)
      .fill('What was decided', 'A food drive in the first week of December.')
      .fill('What happens next', 'Three partners take one task each.')
      .fill('Next step 1', 'Book the hall')
      .pick('Next step 1 › Who will do it', PEOPLE.fay)
      .date('Next step 1 › Done by', '2026-11-25')
      .fill('Next step 2', 'Print flyers')
      .pick('Next step 2 › Who will do it', PEOPLE.cora)
      .date('Next step 2 › Done by', '2026-11-26');
    // A step without its owner is answered under its field, and nothing is recorded.
    form.fill('Next step 3', 'Call the county');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.carl))).toEqual({
      'Who will do it': 'Choose who will do it.',
      'Done by': 'Choose the date it will be done by.',
    });
    expect(await t.db.selectFrom('proposal_statements').selectAll().execute()).toEqual([]);
    form.pick('Next step 3 › Who will do it', PEOPLE.carl).date('Next step 3 › Done by', '2026-11-27');
    await Promise.all([form.submit(PEOPLE.carl), form.submit(PEOPLE.carl)]);
    await t.settled();

    const steps = await t.db
      .selectFrom('action_steps')
      .select(['id', 'title', 'owner_id', 'due_date', 'source', 'source_ref', 'created_by'])
      .where('source', '=', 'decision')
      .orderBy('id')
      .execute();
    expect(steps.map(({ id: _, ...s }) => s)).toEqual([
      {
        title: 'Book the hall',
        owner_id: PEOPLE.fay,
        due_date: '2026-11-25',
        source: 'decision',
        source_ref: `proposal:${proposal.id}`,
        created_by: PEOPLE.carl,
      },
      {
        title: 'Print flyers',
        owner_id: PEOPLE.cora,
        due_date: '2026-11-26',
        source: 'decision',
        source_ref: `proposal:${proposal.id}`,
        created_by: PEOPLE.carl,
      },
      {
        title: 'Call the county',
        owner_id: PEOPLE.carl,
        due_date: '2026-11-27',
        source: 'decision',
        source_ref: `proposal:${proposal.id}`,
        created_by: PEOPLE.carl,
      },
    ]);
    const statement = threadOf(t, 'Run a food drive').filter((m) => m.text.startsWith('Outcome statement'));
    expect(statement).toHaveLength(1);
    expect(JSON.stringify(statement[0]?.blocks)).toContain('A food drive in the first week of December.');
    // Those put down by someone else are told, as for any step.
    expect(dmOf(PEOPLE.fay).some((m) => JSON.stringify(m.blocks).includes('Book the hall'))).toBe(true);

    // Nudged like any other: on the due day, in each owner's working hours.
    for (const day of ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'])
      await fireSlot(t, 'nudges', at(`${day}T18:00:00Z`));
    await t.settled();
    const nudged = await t.db
      .selectFrom('outbox')
      .select(['action_step_id', 'status'])
      .where('kind', '=', 'nudge_due')
      .where(
        'action_step_id',
        'in',
        steps.map((s) => s.id),
      )
      .orderBy('action_step_id')
      .execute();
    expect(nudged).toEqual(steps.map((s) => ({ action_step_id: s.id, status: 'sent' })));

    // Fay's is done on time from her nudge; the week's follow-through counts the three.
    t.clock.set('2026-11-25T19:00:00Z');
    await t.slack.clickButton(PEOPLE.fay, 'Done', { channel: t.fake.dmChannelOf(PEOPLE.fay) });
    await t.settled();
    const week = await figures(t.db, TEAM_ID, at('2026-11-30T05:00:00Z'));
    expect(week.current.overall.steps).toEqual(stepFigures(3, 1, 0, 2));
    // The decision log shows the outcome statement and how its steps stand.
    await t.slack.command(PEOPLE.carl, '/concert', 'decisions', { channel: CHANNELS.core });
    const log = JSON.stringify(t.fake.ephemerals(PEOPLE.carl).at(-1)?.blocks);
    expect(log).toContain('_Outcome:_ A food drive in the first week of December. · next steps: 1 of 3 done');
    // So do the digest, the export and the public records.
    const seen = t.fake.ephemerals(PEOPLE.bea).length;
    await t.slack.command(PEOPLE.bea, '/concert', 'digest', { channel: CHANNELS.backbone });
    await t.settled();
    // The digest, then its charts: the decision is in the digest's own message.
    const [digestShown] = t.fake.ephemerals(PEOPLE.bea).slice(seen);
    expect(JSON.stringify(digestShown?.blocks)).toContain(
      'Run a food drive\\n   _Outcome:_ A food drive in the first week of December. · next steps: 1 of 3 done',
    );
    const records = (await (await fetch(`${t.url}/records.json`)).json()) as { decisions: unknown[] };
    expect(records.decisions).toContainEqual(
      expect.objectContaining({
        title: 'Run a food drive',
        outcomeStatement: {
          decided: 'A food drive in the first week of December.',
          next: 'Three partners take one task each.',
          nextSteps: { total: 3, done: 1, overdue: 0 },
        },
      }),
    );
    await t.slack.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    await t.settled();
    const exported = [...t.fake.uploads.files.values()].find((f) =>
      f.filename.startsWith('concert-decisions'),
    );
    const [header = [], ...rows] = parseCsv((exported as { content: Buffer }).content.toString('utf8'));
    const column = (row: string[], name: string) => row[header.indexOf(name)];
    const drive = rows.filter((r) => column(r, 'title') === 'Run a food drive');
    expect(
      drive.map((r) => [
        column(r, 'outcome_statement'),
        column(r, 'next_steps'),
        column(r, 'next_steps_done'),
      ]),
    ).toEqual([0, 1, 2].map(() => ['A food drive in the first week of December.', '3', '1']));
    expect(t.fake.rejections).toEqual([]);
  });
});
