import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pngSize } from '../../src/charts/render.js';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { SANDBOX_TEAM_ID } from '../../src/sandbox/workspace.js';
import { indicatorTrends } from '../../src/services/measures.js';
import { startSandbox } from './browser.js';

vi.setConfig({ testTimeout: 120_000 });

// Monday 23 November 2026, 15:00 UTC.
const START = new Date('2026-11-23T15:00:00Z');

let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  sandbox = await startSandbox(START);
}, 120_000);
afterAll(() => sandbox?.stop());

const workspace = () => sandbox.server.workspace!;

describe('the seeded coalition’s shared measurement', () => {
  it('has three indicators with about six months of values, and Housing late with its last round’s numbers', async () => {
    const { db } = workspace();
    const indicators = await db.selectFrom('indicators').select(['name', 'frequency', 'status']).execute();
    expect(indicators.map((i) => i.name).sort()).toEqual([
      'Eviction filings',
      'Households served',
      'Young people placed in jobs',
    ]);
    const periods = await db
      .selectFrom('indicator_values as v')
      .innerJoin('indicators as i', 'i.id', 'v.indicator_id')
      .select(['i.name', 'v.period_start'])
      .execute();
    const of = (name: string) =>
      [...new Set(periods.filter((p) => p.name === name).map((p) => p.period_start))].sort();
    // Weeks from 1 June to the week before the start's, whose check-ins have not opened yet.
    expect(of('Households served')).toHaveLength(25);
    expect([of('Households served')[0], of('Households served').at(-1)]).toEqual([
      '2026-06-01',
      '2026-11-16',
    ]);
    expect(of('Young people placed in jobs')).toEqual([
      '2026-06-01',
      '2026-07-01',
      '2026-08-01',
      '2026-09-01',
      '2026-10-01',
      '2026-11-01',
    ]);
    // The week of Housing's last round (Wednesday 18 November): Food Access reported, Housing not yet.
    const [households] = (await indicatorTrends(db, SANDBOX_TEAM_ID, '2026-11-22')).filter(
      (t) => t.indicator.name === 'Households served',
    );
    const last = (group: string) => households?.groups.find((g) => g.name === group)?.values.at(-1);
    expect(households?.periods.at(-1)).toBe('2026-11-16');
    expect(last('Food Access')).toEqual(expect.any(Number));
    expect(last('Housing')).toBeNull();
    expect(households?.coalition.at(-1)).toBeNull();
  });

  it('shows a backbone member the charts in /concert digest, each image served as the PNG Concert uploaded', async () => {
    const answer = await fetch(`${sandbox.url}/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: PEOPLE.amara, channel: CHANNELS.backbone, text: '/concert digest' }),
    });
    expect(answer.status).toBe(200);
    await vi.waitFor(() =>
      expect(
        workspace()
          .fake.ephemerals(PEOPLE.amara)
          .some((e) => e.text.startsWith('Coalition charts')),
      ).toBe(true),
    );
    expect(workspace().fake.rejections).toEqual([]);
    const charts = workspace()
      .fake.ephemerals(PEOPLE.amara)
      .find((e) => e.text.startsWith('Coalition charts'));
    const images = (charts?.blocks ?? []).filter((b) => b.type === 'image');
    expect(images.map((b) => b.title.text)).toEqual([
      'Eviction filings',
      'Households served',
      'Young people placed in jobs',
      'Follow-through',
      'Check-ins answered',
    ]);
    const image = await fetch(`${sandbox.url}/api/images/${images[0]?.slack_file.id}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1440, height: 720 });
  });
});
