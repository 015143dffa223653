import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { checkMessage } from '../harness/block-kit.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';

// Failure kind: a list or a chooser cut at one of Slack's limits (100 options in a select, 25 buttons in a
// row, 50 blocks in a message) with no word of what was left out or how to reach it.

// biome-ignore lint/suspicious/noExplicitAny: payloads are arbitrary JSON
type Json = any;

const PARTNERS = 120;

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  await t.db
    .insertInto('work_groups')
    .values(
      Array.from({ length: PARTNERS }, (_, i) => ({
        team_id: TEAM_ID,
        name: `Partner ${String(i + 1).padStart(3, '0')}`,
        channel_id: `CPARTNER${i + 1}`,
        checkin_weekday: 3,
        checkin_minute: 600,
        tz_mode: 'group' as const,
        tz: 'America/New_York',
        created_by: PEOPLE.bea,
        created_at: '2026-11-20T15:00:00Z',
        updated_at: '2026-11-20T15:00:00Z',
      })),
    )
    .execute();
});
afterAll(() => t.stop());

const groupId = async (name: string) =>
  (await t.db.selectFrom('work_groups').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;

describe('the action step form of a coalition of 121 work groups', () => {
  it('offers every group, in groups of at most 100 options, and saves the last', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await t.slack.command(PEOPLE.fay, '/commit', 'Call the last partner', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    const select = form.view.blocks.find((b: Json) => b.label?.text === 'Work group').element;
    const offered = select.option_groups.flatMap((g: Json) => g.options.map((o: Json) => o.text.text));
    expect(offered).toHaveLength(PARTNERS + 1);
    expect(offered).toContain('Partner 120');
    for (const group of select.option_groups) expect(group.options.length).toBeLessThanOrEqual(100);
    expect(select.initial_option.text.text).toBe('Food Access');

    form.select('Work group', 'Partner 120').date('Done by', '2026-11-30');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    const step = await t.db
      .selectFrom('action_steps')
      .selectAll()
      .where('title', '=', 'Call the last partner')
      .executeTakeFirstOrThrow();
    expect(step.work_group_id).toBe(await groupId('Partner 120'));
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('the time zone of a work group', () => {
  it('can be any zone Slack knows, not only the common ones', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', `group <#${CHANNELS.food}>`, {
      channel: CHANNELS.backbone,
    });
    const form = t.slack.modal(PEOPLE.bea);
    const select = form.view.blocks.find((b: Json) => b.label?.text === 'Group time zone').element;
    const values = new Set(select.option_groups.flatMap((g: Json) => g.options.map((o: Json) => o.value)));
    // Every zone Node knows is offered, by the name Slack's profiles use (Node has some by older names).
    const zoneOf = (tz: string) => new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
    const reached = new Set([...values].map((v) => zoneOf(v as string)));
    for (const zone of Intl.supportedValuesOf('timeZone')) expect(reached.has(zone)).toBe(true);
    expect(values.has('Asia/Kathmandu')).toBe(true);
    expect(values.has('Asia/Katmandu')).toBe(false);
    expect(select.option_groups[0].label.text).toBe('Common');

    form.select('Group time zone', 'Asia/Kathmandu');
    expect((await form.submit(PEOPLE.bea)).body).toBe('');
    const food = await t.db
      .selectFrom('work_groups')
      .select('tz')
      .where('channel_id', '=', CHANNELS.food)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(food.tz).toBe('Asia/Kathmandu');
    expect(t.fake.rejections).toEqual([]);
  });
});

describe('/commit list of 45 open steps', () => {
  it('pages through them, each page saying how many more and how to reach them', async () => {
    const food = await groupId('Food Access');
    await t.db
      .insertInto('action_steps')
      .values(
        Array.from({ length: 44 }, (_, i) => ({
          team_id: TEAM_ID,
          title: `Fay’s step ${String(i + 1).padStart(2, '0')}`,
          owner_id: PEOPLE.fay,
          created_by: PEOPLE.fay,
          work_group_id: food,
          due_date: `2027-01-${String(1 + (i % 28)).padStart(2, '0')}`,
          first_due_date: '2027-01-01',
          source: 'commit' as const,
        })),
      )
      .execute();
    const page = async (text: string) => {
      await t.slack.command(PEOPLE.fay, '/commit', text, { channel: CHANNELS.food });
      const shown = t.fake.ephemerals(PEOPLE.fay).at(-1) as Json;
      expect(checkMessage(shown)).toEqual([]);
      const titles = shown.blocks
        .filter((b: Json) => b.type === 'section')
        .slice(1)
        .map((b: Json) => b.text.text);
      const more = shown.blocks.at(-1).type === 'context' ? shown.blocks.at(-1).elements[0].text : '';
      return { heading: shown.text, titles, more };
    };
    const first = await page('list');
    expect(first.heading).toBe('Your open action steps: 45. Page 1 of 3.');
    expect(first.titles).toHaveLength(20);
    expect(first.more).toBe('And 25 more, due later: `/commit list 2`.');
    const second = await page('list 2');
    expect(second.titles).toHaveLength(20);
    expect(second.more).toBe('And 5 more, due later: `/commit list 3`.');
    const third = await page('list 3');
    expect(third.titles).toHaveLength(5);
    expect(third.more).toBe('The 40 due sooner: `/commit list 2`.');
    const all = [...first.titles, ...second.titles, ...third.titles];
    expect(new Set(all).size).toBe(45);
    // A page past the last shows the last.
    expect((await page('list 9')).titles).toEqual(third.titles);
  });
});

describe('/checkin for a member of 31 work groups', () => {
  it('offers every group, 25 buttons a row, and opens the last one’s check-in', async () => {
    await t.db
      .insertInto('channel_members')
      .values(
        Array.from({ length: 30 }, (_, i) => ({
          team_id: TEAM_ID,
          channel_id: `CPARTNER${i + 1}`,
          user_id: PEOPLE.fay,
          joined_at: '2026-11-20T15:00:00Z',
        })),
      )
      .execute();
    const answer = await t.slack.command(PEOPLE.fay, '/checkin', '', { channel: CHANNELS.food });
    expect(checkMessage(answer.body)).toEqual([]);
    const rows = answer.body.blocks.filter((b: Json) => b.type === 'actions');
    expect(rows.map((r: Json) => r.elements.length)).toEqual([25, 6]);
    await t.slack.clickButton(PEOPLE.fay, 'Partner 030', { in: 'ephemeral' });
    expect(t.fake.lastView()?.title.text).toBe('Weekly check-in');
    expect(JSON.stringify(t.fake.lastView()?.blocks[0])).toContain('Partner 030');
  });
});
