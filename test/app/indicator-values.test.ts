import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import type { ModalForm } from '../harness/driver.js';
import { defineIndicator, retireIndicator } from '../harness/indicators.js';
import { fireSlot } from '../harness/scheduler.js';

// Food Access checks in on Mondays at 10:00 New York time (15:00 UTC).
const OPENS = new Date('2026-11-30T15:00:00Z');

let t: TestApp;
let form: ModalForm;

beforeAll(async () => {
  t = await startCoalition();
  t.clock.set('2026-11-24T15:00:00Z');
  await addWorkGroup(t, { name: 'Housing', channel: CHANNELS.housing });
  await defineIndicator(t, {
    name: 'Households served',
    unit: 'households',
    groups: ['Food Access', 'Housing'],
  });
  await defineIndicator(t, { name: 'Meals', unit: 'meals', groups: ['Food Access'], monthly: true });
  await defineIndicator(t, { name: 'Rent change', unit: 'dollars', groups: ['Housing'] });
});
afterAll(() => t.stop());

const values = () =>
  t.db
    .selectFrom('indicator_values as v')
    .innerJoin('indicators as i', 'i.id', 'v.indicator_id')
    .select(['i.name', 'v.period_start', 'v.value', 'v.reported_by'])
    .orderBy('i.name')
    .execute();
const events = () =>
  t.db.selectFrom('indicator_value_events').select(['value', 'reported_by']).orderBy('id').execute();

describe('indicator values in the check-in', () => {
  it('asks for each indicator the group reports, for the round’s period', async () => {
    expect(await fireSlot(t, 'checkins', OPENS)).toBe(true);
    t.clock.set('2026-11-30T16:00:00Z');
    await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
    form = t.slack.modal(PEOPLE.fay);
    const labels = form.labels();
    expect(labels).toContain('Households served (households)');
    expect(labels).toContain('Meals (meals)');
    expect(labels).not.toContain('Rent change (dollars)');
    const hints = JSON.stringify(form.view.blocks);
    expect(hints).toContain('For the week of Mon 30 Nov.');
    expect(hints).toContain('For November 2026.');
  });

  it('refuses a non-number, a negative count and a value for a retired indicator, each under its field; nothing is written', async () => {
    await retireIndicator(t, 'Meals');
    form
      .fill('Intention', 'Serve more households')
      .radio('Progress toward the intention', '🟢 On track')
      .fill('Households served (households)', 'about forty')
      .fill('Meals (meals)', '300');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.fay))).toEqual({
      'Households served (households)': 'Enter a number, like 120.',
      'Meals (meals)': '“Meals” has been retired, so it no longer takes values. Leave it empty.',
    });
    form.fill('Households served (households)', '-4').fill('Meals (meals)', '');
    expect(t.slack.fieldErrors(await form.submit(PEOPLE.fay))).toEqual({
      'Households served (households)': 'Enter 0 or more: households can’t be below zero.',
    });
    expect(await values()).toEqual([]);
    const checkin = await t.db
      .selectFrom('checkins')
      .select('status')
      .where('user_id', '=', PEOPLE.fay)
      .execute();
    expect(checkin).toEqual([{ status: 'pending' }]);
  });

  it('keeps one value per group and period, with who gave it; a correction replaces it and both are kept', async () => {
    form.fill('Households served (households)', '1,200');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    expect(await values()).toEqual([
      { name: 'Households served', period_start: '2026-11-30', value: 1200, reported_by: PEOPLE.fay },
    ]);

    // Cora, in the same group, sees Fay's number and corrects it in her own check-in.
    t.clock.set('2026-11-30T18:00:00Z');
    await t.slack.clickButton(PEOPLE.cora, 'Start check-in', { in: 'message' });
    const cora = t.slack.modal(PEOPLE.cora);
    expect(cora.value('Households served (households)').value).toBe('1200');
    expect(JSON.stringify(cora.view.blocks)).toContain('Given already: 1,200; change it to correct it.');
    cora.fill('Intention', 'Count again').radio('Progress toward the intention', '🟢 On track');
    cora.fill('Households served (households)', '1180');
    expect((await cora.submit(PEOPLE.cora)).body).toBe('');
    await t.settled();

    // Fay edits her check-in and leaves the number as it is shown: nothing changes.
    await t.slack.command(PEOPLE.fay, '/checkin', '', { channel: CHANNELS.food });
    await t.settled();
    const edit = t.slack.modal(PEOPLE.fay);
    expect(edit.value('Households served (households)').value).toBe('1180');
    expect((await edit.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();

    expect(await values()).toEqual([
      { name: 'Households served', period_start: '2026-11-30', value: 1180, reported_by: PEOPLE.cora },
    ]);
    expect(await events()).toEqual([
      { value: 1200, reported_by: PEOPLE.fay },
      { value: 1180, reported_by: PEOPLE.cora },
    ]);
  });
});
