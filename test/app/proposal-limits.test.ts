import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  latestProposal,
  propose,
  setCore,
  threadOf,
  vote,
  voterIds,
  voteWithReason,
} from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition({ liveTallyIntervalMs: 20 });
});
afterAll(() => t.stop());
beforeEach(() => {
  t.clock.set('2026-11-23T15:00:00Z');
  t.fake.clearCalls();
});

const CORE = [PEOPLE.ben, PEOPLE.cora, PEOPLE.carl];

/** Exactly `length` characters of someone's reasoning, with characters that Slack needs escaped. */
function longReason(who: string, length: number): string {
  const sentence = 'The budget & the timeline need <more> work before we commit. ';
  const text = `${who} says: ${sentence.repeat(Math.ceil(length / sentence.length))}`;
  return `${text
    .slice(0, length - 1)
    .trimEnd()
    .padEnd(length - 1, 'x')}.`;
}
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('the outcome in the thread', () => {
  it('shows every long reason whole, each in its own section, and still ends with the effect', async () => {
    t.fake.addChannel({ id: 'CLONG', name: 'long-reasons', members: [PEOPLE.hal] });
    const voters = voterIds(8, 'UL');
    await setCore(t, [PEOPLE.ben, ...voters]);
    const answer = await propose(t, PEOPLE.ben, 'Welcome the Long Reasons', 'add_work_group', (form) => {
      form.fill('New work group’s name', 'Long Reasons').pick('Its channel', 'CLONG');
    });
    expect(answer.body).toBe('');
    // Six support and three stand aside: a third of the votes, which the default rules allow.
    for (const voter of [PEOPLE.ben, ...voters.slice(0, 5)]) await vote(t, voter, 'Support');
    const reasons = voters.slice(5).map((v) => longReason(v, 900));
    for (const [i, voter] of voters.slice(5).entries())
      expect((await voteWithReason(t, voter, 'Stand aside', reasons[i] as string)).body).toBe('');
    expect(await latestProposal(t)).toMatchObject({ outcome: 'consensus', close_reason: 'all_voted' });

    const [outcome] = threadOf(t, 'Welcome the Long Reasons');
    const texts = (outcome?.blocks ?? []).map((b) => String(b.text?.text));
    expect(texts).toHaveLength(5);
    expect(texts[0]).toMatch(/^\*Consensus reached\* on \*Welcome the Long Reasons\*/);
    for (const [i, voter] of voters.slice(5).entries()) {
      const line = `• <@${voter}>: ${escaped(reasons[i] as string)}`;
      expect(texts[i + 1]).toBe(i === 0 ? `*Stand asides*\n${line}` : line);
    }
    expect(texts[4]).toBe(
      'The work group *Long Reasons* now works in <#CLONG> and checks in Mondays at 10:00 (America/New_York).',
    );
    expect(t.fake.rejections).toEqual([]);
    await setCore(t, CORE);
  });
});

describe('the decision log', () => {
  it('shows fifteen decisions with the longest titles, every title whole', async () => {
    const titles = Array.from({ length: 15 }, (_, i) =>
      `Decision ${String(i + 1).padStart(2, '0')}: ${'a long title about the shared intake form '.repeat(4)}`
        .slice(0, 149)
        .concat('.'),
    );
    for (const title of titles) {
      expect((await propose(t, PEOPLE.carl, title)).body).toBe('');
      await t.slack.chooseOption(PEOPLE.carl, 'Withdraw', { in: 'message' });
    }
    await t.slack.command(PEOPLE.fay, '/concert', 'decisions', { channel: CHANNELS.general });
    expect(t.fake.rejections).toEqual([]);
    const log = t.fake.ephemerals(PEOPLE.fay).at(-1);
    const sections = (log?.blocks ?? []).filter((b) => b.type === 'section').map((b) => String(b.text.text));
    expect(sections.length).toBeGreaterThan(2);
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3000);
    const lines = sections.slice(1).flatMap((text) => text.split('\n'));
    expect(lines).toHaveLength(15);
    // Newest first, each a whole line: its title and its date, never cut.
    for (const [i, line] of lines.entries()) {
      expect(line).toContain(`*${titles[14 - i]}* — *Withdrawn*`);
      expect(line).toMatch(/<!date\^\d+\^\{date_short_pretty\} at \{time\}\|[^>]+ UTC>$/);
    }
  });
});

describe('the App Home of a backbone member in the Core with a lot on their plate', () => {
  it('stays within Slack’s 100 blocks, its longest lists cut short with how many more', async () => {
    const { ben } = PEOPLE;
    // Ben joins the food work group, and its round opens: his check-in is waiting.
    t.fake.channels.get(CHANNELS.food)?.members.push(ben);
    await t.slack.event({ type: 'member_joined_channel', user: ben, channel: CHANNELS.food });
    expect(await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'))).toBe(true);
    const food = await t.db
      .selectFrom('work_groups')
      .select('id')
      .where('name', '=', 'Food Access')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('action_steps')
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          team_id: TEAM_ID,
          title: `Ben’s step ${i + 1}`,
          owner_id: ben,
          created_by: ben,
          work_group_id: food.id,
          due_date: `2026-12-${String(10 + i).padStart(2, '0')}`,
          first_due_date: '2026-12-10',
          source: 'commit' as const,
        })),
      )
      .execute();
    await t.db
      .insertInto('work_groups')
      .values(
        Array.from({ length: 40 }, (_, i) => ({
          team_id: TEAM_ID,
          name: `Partner ${i + 1}`,
          channel_id: `CPARTNER${i + 1}`,
          checkin_weekday: 3,
          checkin_minute: 600,
          tz_mode: 'group' as const,
          tz: 'America/New_York',
          created_by: PEOPLE.bea,
          created_at: '2026-11-30T15:00:00Z',
          updated_at: '2026-11-30T15:00:00Z',
        })),
      )
      .execute();
    t.clock.set('2026-11-30T16:00:00Z');
    // One closes tomorrow at 10:00 in Denver, 17:00 UTC; fifteen a week on.
    await propose(t, PEOPLE.carl, 'Past its time', 'other', (form) => {
      form.date('Voting closes on', '2026-12-01').time('at', '10:00');
    });
    for (let i = 1; i <= 15; i++) expect((await propose(t, PEOPLE.carl, `Open question ${i}`)).body).toBe('');

    // The first is past its deadline, and the sweep has not closed it yet: it awaits nobody's vote now.
    t.clock.set('2026-12-01T17:30:00Z');
    t.fake.clearCalls();
    await t.slack.event({ type: 'app_home_opened', user: ben, channel: 'DBEN', tab: 'home' });
    expect(t.fake.rejections).toEqual([]);
    const home = t.fake.homeView(ben);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    const shown = JSON.stringify(home.blocks);
    expect(shown).toContain('Your weekly check-in for *Food Access* is waiting.');
    expect(shown).toContain('And 5 more, due later: `/commit list`.');
    expect(shown).not.toContain('Past its time');
    expect(shown).toContain('*Open question 1*');
    expect(shown).toContain(`…and 5 more awaiting your vote in <#${CHANNELS.core}>.`);
    // The longest list, the backbone's 40-odd work groups, gives up the room the page lacks.
    const groups = home.blocks.filter(
      (b: { block_id?: string }) => b.block_id?.startsWith('wg_') && b.block_id !== 'wg_actions',
    );
    expect(groups.length).toBeGreaterThan(20);
    const active = await t.db.selectFrom('work_groups').select('id').where('status', '=', 'active').execute();
    expect(shown).toContain(`…and ${active.length - groups.length} more. Use`);
    expect(home.blocks.length).toBe(100);
  });
});
