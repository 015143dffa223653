import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, PNG_SCALE, pngSize, renderPng } from '../../src/charts/render.js';
import { type Db, postgresDatabase } from '../../src/db/database.js';
import { digestCharts } from '../../src/services/measures.js';
import { startTestApp, TEAM_ID, type TestApp } from '../harness/app.js';
import { TestClock } from '../harness/clock.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { defineIndicator } from '../harness/indicators.js';
import { fireSlot, jobFor } from '../harness/scheduler.js';

// Both groups check in on Mondays at 10:00 in New York (15:00 UTC in November); the digest is Monday 08:00.
const MONDAYS = ['2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30'];
const DIGEST_AT = new Date('2026-12-07T13:00:00Z');

/**
 * The hand-worked table: households served per week, as the groups report them. Housing gives no number
 * for the week of 16 Nov (missing, so the coalition's total is missing too); Food Access's 140 for 23 Nov
 * is corrected to 145 by another member of the group.
 */
const TABLE = {
  'Food Access': [100, 120, 130, 145, 150],
  Housing: [50, 55, null, 60, 70],
  Coalition: [150, 175, null, 205, 220],
};
const LINE =
  'Households served (households) (2 Nov to 30 Nov): Food Access: 100, 120, 130, 145, 150; Housing: 50, 55, missing, 60, 70; Coalition: 150, 175, missing, 205, 220. Target 300 by 30 Jun 2027.';

let t: TestApp;

/** A member's check-in through the form, with this week's number (blank: none given). */
async function checkIn(user: string, households: string): Promise<void> {
  await t.slack.clickButton(user, 'Start check-in', { in: 'message' });
  const form = t.slack.modal(user);
  form
    .fill('Intention', 'Serve every household that asks')
    .radio('Progress toward the intention', '🟢 On track')
    .fill('Households served (households)', households);
  expect((await form.submit(user)).body).toBe('');
  await t.settled();
}

beforeAll(async () => {
  t = await startCoalition({ clock: new TestClock('2026-10-28T15:00:00Z') });
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
  await defineIndicator(t, {
    name: 'Households served',
    unit: 'households',
    groups: ['Food Access', 'Housing'],
    target: '300',
    targetDate: '2027-06-30',
  });
  for (const [week, monday] of MONDAYS.entries()) {
    const opens = new Date(`${monday}T15:00:00Z`);
    expect(await fireSlot(t, 'checkins', opens)).toBe(true);
    t.clock.set(new Date(opens.getTime() + 60 * 60_000));
    const food = week === 3 ? '140' : String(TABLE['Food Access'][week]);
    await checkIn(PEOPLE.fay, food);
    const housing = TABLE.Housing[week];
    await checkIn(PEOPLE.hal, housing === null ? '' : String(housing));
    if (week === 3) await checkIn(PEOPLE.cora, '145');
    await fireSlot(t, 'checkins', new Date(opens.getTime() + 48 * 3_600_000));
  }
}, 120_000);
afterAll(() => t.stop());

const pngs = () => [...t.fake.uploads.files.values()].filter((f) => f.mimetype === 'image/png');

describe('the digest’s charts', () => {
  it('draws the indicator from the groups’ values: the hand-worked table, the missing week missing', async () => {
    const [households, followThrough, checkins] = await digestCharts(t.db, TEAM_ID, DIGEST_AT);
    expect(households).toEqual({
      title: 'Households served',
      unit: 'households',
      periods: MONDAYS,
      series: Object.entries(TABLE).map(([name, values]) => ({ name, values })),
      target: { value: 300, label: 'Target 300 by 30 Jun 2027' },
    });
    expect(followThrough?.title).toBe('Follow-through');
    expect(checkins?.series.map((s) => s.name)).toEqual(['Food Access', 'Housing', 'Coalition']);
    // Week by week, each group's check-in rate as the digest counts it: Food Access 1 of 3 asked answered
    // (Fay; Cora too in the week of 23 Nov), Housing its one member.
    expect(checkins?.series.find((s) => s.name === 'Housing')?.values.slice(-5)).toEqual([
      100, 100, 100, 100, 100,
    ]);
  });

  it('posts the charts with the weekly digest once, on two instances, as valid PNGs with their numbers under each', async () => {
    t.fake.clearCalls();
    const url = t.database?.url;
    const secondDb: Db = url ? postgresDatabase(url) : t.db;
    const second = await startTestApp({ db: secondDb, fake: t.fake });
    try {
      t.clock.set(DIGEST_AT);
      second.clock.set(DIGEST_AT);
      await Promise.all([jobFor(t, 'digest').run(DIGEST_AT), jobFor(second, 'digest').run(DIGEST_AT)]);
      await fireSlot(t, 'digest', new Date(DIGEST_AT.getTime() + 15 * 60_000));
    } finally {
      await second.stop();
      if (secondDb !== t.db) await secondDb.destroy();
    }
    expect(t.fake.rejections).toEqual([]);
    const posted = t.fake.messages(CHANNELS.backbone).filter((m) => m.text.startsWith('Coalition charts'));
    expect(posted.map((m) => m.text)).toEqual([
      'Coalition charts · Mon 30 Nov – Sun 6 Dec: Households served, Follow-through, Check-ins answered',
    ]);
    const blocks = posted[0]?.blocks ?? [];
    const images = blocks.filter((b) => b.type === 'image');
    expect(images.map((b) => b.title.text)).toEqual([
      'Households served',
      'Follow-through',
      'Check-ins answered',
    ]);
    // Three charts, three files, each uploaded once although two instances sent the digest.
    const files = pngs();
    expect(files).toHaveLength(3);
    expect(images.map((b) => b.slack_file.id).sort()).toEqual(files.map((f) => f.id).sort());
    for (const file of files) {
      expect(pngSize(file.content)).toEqual({
        width: CHART_WIDTH * PNG_SCALE,
        height: CHART_HEIGHT * PNG_SCALE,
      });
      expect(file.channel).toBeUndefined();
    }
    // The households chart is the PNG of exactly the table's data.
    const [households] = await digestCharts(t.db, TEAM_ID, DIGEST_AT);
    const drawn = await renderPng(households as NonNullable<typeof households>);
    const file = files.find((f) => f.id === images[0]?.slack_file.id);
    expect(
      createHash('sha256')
        .update(file?.content ?? '')
        .digest('hex'),
    ).toBe(createHash('sha256').update(drawn).digest('hex'));
    // Under each image, its numbers in words; the same words are its alt text.
    const line = blocks[blocks.indexOf(images[0]) + 1];
    expect(line).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: LINE }] });
    expect(images[0]?.alt_text).toBe(LINE);
  });

  it('shows the same charts in /concert digest without uploading them again', async () => {
    t.fake.clearCalls();
    await t.slack.command(PEOPLE.bea, '/concert', 'digest', { channel: CHANNELS.backbone });
    await t.settled();
    expect(t.fake.rejections).toEqual([]);
    const shown = t.fake
      .ephemerals(PEOPLE.bea)
      .filter((e) => e.text.startsWith('Coalition charts'))
      .at(-1);
    const images = (shown?.blocks ?? []).filter((b) => b.type === 'image');
    expect(images).toHaveLength(3);
    expect(JSON.stringify(shown?.blocks)).toContain(LINE);
    expect(pngs()).toHaveLength(3);
    expect(t.fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    // Posted from its button, the channel gets the charts after the digest, still from the same files.
    await t.slack.clickButton(PEOPLE.bea, 'Post to the backbone channel', { in: 'ephemeral' });
    await t.settled();
    const posted = t.fake.messages(CHANNELS.backbone).slice(-2);
    expect(posted.map((m) => m.text.slice(0, 44))).toEqual([
      'Coalition digest · Mon 30 Nov – Sun 6 Dec: F',
      'Coalition charts · Mon 30 Nov – Sun 6 Dec: H',
    ]);
    expect((posted[1]?.blocks ?? []).filter((b) => b.type === 'image')).toHaveLength(3);
    expect(pngs()).toHaveLength(3);
    expect(t.fake.rejections).toEqual([]);
  });
});
