import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/services/csv.js';
import type { TestApp } from '../harness/app.js';
import { TestClock } from '../harness/clock.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { defineIndicator } from '../harness/indicators.js';
import { fireSlot } from '../harness/scheduler.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)> & "q"';
const CSP = "default-src 'none'; style-src 'unsafe-inline'";

let t: TestApp;

async function checkIn(user: string, value: string): Promise<void> {
  await t.slack.clickButton(user, 'Start check-in', { in: 'message' });
  const form = t.slack.modal(user);
  form
    .fill('Intention', 'Serve every household that asks')
    .radio('Progress toward the intention', '🟢 On track')
    .fill(`${HOSTILE} (households)`, value);
  expect((await form.submit(user)).body).toBe('');
  await t.settled();
}

beforeAll(async () => {
  t = await startCoalition({ clock: new TestClock('2026-11-20T15:00:00Z'), publicRecords: true });
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
  await defineIndicator(t, { name: HOSTILE, unit: 'households', groups: ['Food Access', 'Housing'] });
  for (const monday of ['2026-11-23', '2026-11-30']) {
    expect(await fireSlot(t, 'checkins', new Date(`${monday}T15:00:00Z`))).toBe(true);
    t.clock.set(new Date(`${monday}T16:00:00Z`));
    await checkIn(PEOPLE.fay, monday === '2026-11-23' ? '1,040' : '1100');
  }
  await checkIn(PEOPLE.cora, '1120');
  t.clock.set('2026-12-01T15:00:00Z');
}, 60_000);
afterAll(() => t.stop());

describe('the shared indicators on the public records', () => {
  it('draws each trend as inline SVG from data alone: a hostile name is escaped, and the page still runs nothing', async () => {
    const page = await fetch(`${t.url}/records`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    const html = await page.text();
    const figure = html.slice(html.indexOf('<h2>Shared measurement</h2>'));
    expect(figure).toContain('<svg ');
    // The markup alone: text between tags (where every < is escaped) and attribute values taken out.
    const markup = (page: string) => page.replace(/>[^<]*</g, '><').replace(/"[^"]*"/g, '""');
    expect(markup(html)).not.toMatch(/<script|<img|<iframe|<foreignObject|\son\w+\s*=/i);
    expect(markup(figure)).not.toMatch(/<a\s|href=|style=/i);
    expect(figure).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    // The line under the chart gives its numbers, the missing Housing weeks as missing.
    expect(figure).toContain(
      '<figcaption>&#60;script&#62;alert(1)&#60;/script&#62;&#60;img src=x onerror=alert(1)&#62; &#38; &#34;q&#34; (households) (23 Nov to 30 Nov): Food Access: 1,040, 1,120; Housing: missing, missing; Coalition: missing, missing.</figcaption>',
    );
  });

  it('gives the values in /records.json, by group and period, with no people', async () => {
    const body = await (await fetch(`${t.url}/records.json`)).text();
    expect(body).not.toContain(PEOPLE.fay);
    expect(body).not.toContain(PEOPLE.cora);
    const { indicators } = JSON.parse(body) as { indicators: unknown[] };
    expect(indicators).toEqual([
      {
        name: HOSTILE,
        unit: 'households',
        upIsBetter: true,
        frequency: 'weekly',
        target: null,
        targetDate: null,
        periods: ['2026-11-23', '2026-11-30'],
        groups: [
          { name: 'Food Access', values: [1040, 1120] },
          { name: 'Housing', values: [null, null] },
        ],
        coalition: [null, null],
      },
    ]);
  });

  it('exports every value given, the corrected one too, in the indicators CSV file', async () => {
    await t.slack.command(PEOPLE.bea, '/concert', 'export', { channel: CHANNELS.backbone });
    await t.settled();
    const file = [...t.fake.uploads.files.values()].find((f) => f.filename.startsWith('concert-indicators-'));
    const [header, ...rows] = parseCsv(file?.content.toString('utf8') ?? '');
    expect(header).toEqual([
      'indicator_id',
      'indicator',
      'unit',
      'frequency',
      'indicator_status',
      'work_group',
      'period_start',
      'value',
      'reported_by',
      'reported_at',
      'current_value',
    ]);
    expect(rows.map((r) => [r[1], r[5], r[6], r[7], r[8], r[10]])).toEqual([
      [HOSTILE, 'Food Access', '2026-11-23', '1040', PEOPLE.fay, '1040'],
      [HOSTILE, 'Food Access', '2026-11-30', '1100', PEOPLE.fay, '1120'],
      [HOSTILE, 'Food Access', '2026-11-30', '1120', PEOPLE.cora, '1120'],
    ]);
  });
});
