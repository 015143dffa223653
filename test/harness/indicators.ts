import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { CHANNELS, PEOPLE } from './coalition.js';
import type { SlackDriver } from './driver.js';

/**
 * Defines an indicator through `/concert indicators` and its form, as a backbone member; in another workspace
 * when `slack` speaks for it.
 */
export async function defineIndicator(
  t: TestApp,
  fields: {
    name: string;
    unit: string;
    groups: string[];
    target?: string;
    targetDate?: string;
    monthly?: boolean;
    lowerIsBetter?: boolean;
  },
  slack: SlackDriver = t.slack,
): Promise<void> {
  await slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
  await t.settled();
  await slack.clickButton(PEOPLE.bea, 'Add an indicator');
  await t.settled();
  const modal = slack.modal(PEOPLE.bea);
  modal.fill('Name', fields.name).fill('Unit', fields.unit).selectMany('Reported by', fields.groups);
  if (fields.target) modal.fill('Target', fields.target);
  if (fields.targetDate) modal.date('Target date', fields.targetDate);
  if (fields.monthly) modal.radio('Reported', 'monthly');
  if (fields.lowerIsBetter) modal.radio('Which way is better', 'down');
  expect((await modal.submit(PEOPLE.bea)).body).toBe('');
  await t.settled();
}

/** Retires an indicator through its Edit form, as a backbone member. */
export async function retireIndicator(t: TestApp, name: string): Promise<void> {
  await t.slack.command(PEOPLE.bea, '/concert', 'indicators', { channel: CHANNELS.backbone });
  await t.settled();
  await t.slack.clickButton(PEOPLE.bea, 'Edit', { near: `*${name}*` });
  await t.settled();
  const modal = t.slack.modal(PEOPLE.bea);
  expect(modal.value('Name').value).toBe(name);
  modal.radio('Status', 'retired');
  expect((await modal.submit(PEOPLE.bea)).body).toBe('');
  await t.settled();
}
