import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { launchBrowser, SandboxPage, startSandbox } from './browser.js';

let browser: Browser;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let page: Page;

beforeAll(async () => {
  [browser, sandbox] = await Promise.all([launchBrowser(), startSandbox(new Date('2026-11-23T15:00:00Z'))]);
  page = await browser.newPage();
  await page.goto(sandbox.url);
  await page.locator('.person-card').first().waitFor();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const option = (text: string, value: string) => ({ text: { type: 'plain_text', text }, value });

/**
 * The page's own renderer, run in the page (as source text, so nothing in the test runner rewrites it): it
 * draws the blocks as Priya (Los Angeles) sees them and records the clicks and values it reports.
 */
const DRAW_IN_PAGE = `async ({ blocks, values, errors }) => {
  const { renderBlocks } = await import('/blocks.js');
  window.acted = [];
  window.set = [];
  const context = {
    text: {
      me: 'UPRIYA',
      tz: 'America/Los_Angeles',
      now: new Date('2026-11-23T15:00:00Z'),
      personName: (id) => ({ UPRIYA: 'Priya Shah', USAM: 'Sam Lee' })[id],
      channelName: (id) => ({ CFOOD: 'food-access' })[id],
    },
    people: [
      { id: 'UPRIYA', realName: 'Priya Shah', isBot: false },
      { id: 'USAM', realName: 'Sam Lee', isBot: false },
    ],
    channels: [{ id: 'CFOOD', name: 'food-access', kind: 'channel', isPrivate: false }],
    confirm: async () => true,
    act: (index, element, chosen) => window.acted.push({ index, action: element.action_id, chosen }),
    values,
    errors,
    setValue: (block, action, state) => window.set.push({ block, action, state }),
    idPrefix: 'test',
  };
  const root = document.createElement('div');
  root.id = 'fixture';
  root.append(renderBlocks(blocks, context));
  document.body.replaceChildren(root);
}`;

async function draw(
  blocks: unknown[],
  values: Record<string, unknown> = {},
  errors: Record<string, string> = {},
) {
  await page.evaluate(`(${DRAW_IN_PAGE})(${JSON.stringify({ blocks, values, errors })})`);
  return page.locator('#fixture');
}

const recorded = (name: 'acted' | 'set') => page.evaluate(`window.${name}`) as Promise<unknown[]>;

describe('the page’s Block Kit', () => {
  it('draws header, section with fields and accessory, context and divider, with mrkdwn', async () => {
    const fixture = await draw([
      { type: 'header', text: { type: 'plain_text', text: 'Weekly digest' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Bold* and _italic_ and ~gone~, <https://example.org|a link>, <@USAM> and <@UPRIYA> in <#CFOOD>; due <!date^1795557600^{date_short_pretty} at {time}|Tue 24 Nov>. 5 &lt; 6',
        },
        fields: [
          { type: 'mrkdwn', text: '*Due*\n3' },
          { type: 'mrkdwn', text: '*Done on time*\n2' },
        ],
        accessory: {
          type: 'button',
          action_id: 'open',
          text: { type: 'plain_text', text: 'Open' },
          value: '7',
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: ':warning: 2 overdue' }] },
      { type: 'divider' },
    ]);
    await expect.poll(() => fixture.locator('h3').textContent()).toBe('Weekly digest');
    const text = fixture.locator('.bk-section-text');
    expect(await text.locator('b').first().textContent()).toBe('Bold');
    expect(await text.locator('i').textContent()).toBe('italic');
    expect(await text.locator('s').textContent()).toBe('gone');
    expect(await text.locator('a[href="https://example.org"]').textContent()).toBe('a link');
    expect(await text.locator('.mention').first().textContent()).toBe('@Sam Lee');
    expect(await text.locator('.mention-me').textContent()).toBe('@Priya Shah');
    expect(await text.locator('.channel-link').textContent()).toBe('#food-access');
    // 22:00 UTC on the 24th is 14:00 in Los Angeles: tomorrow, as Priya sees it on Monday.
    expect(await text.locator('.slack-date').textContent()).toBe('tomorrow at 2:00 PM');
    expect(await text.textContent()).toContain('5 < 6');
    expect(await fixture.locator('.bk-field').allTextContents()).toEqual(['Due3', 'Done on time2']);
    expect(await fixture.locator('.bk-context').textContent()).toBe('⚠️ 2 overdue');
    expect(await fixture.locator('hr.bk-divider').count()).toBe(1);
    await fixture.getByRole('button', { name: 'Open' }).click();
    expect(await recorded('acted')).toEqual([{ index: 1, action: 'open', chosen: {} }]);
  });

  it('sends what was chosen in actions: buttons, selects, overflow and date picker', async () => {
    const fixture = await draw([
      {
        type: 'actions',
        block_id: 'tools',
        elements: [
          {
            type: 'button',
            action_id: 'done',
            style: 'primary',
            text: { type: 'plain_text', text: 'Done' },
            value: '1',
          },
          {
            type: 'static_select',
            action_id: 'kind',
            placeholder: { type: 'plain_text', text: 'Kind' },
            options: [option('Add work group', 'add'), option('Other', 'other')],
          },
          { type: 'users_select', action_id: 'who', placeholder: { type: 'plain_text', text: 'Who' } },
          {
            type: 'conversations_select',
            action_id: 'where',
            placeholder: { type: 'plain_text', text: 'Where' },
          },
          {
            type: 'overflow',
            action_id: 'more',
            options: [option('Withdraw', 'withdraw'), option('Close early', 'close')],
          },
          { type: 'datepicker', action_id: 'when', initial_date: '2026-11-30' },
        ],
      },
    ]);
    await fixture.getByRole('button', { name: 'Done' }).click();
    await fixture.locator('#test-tools-kind').selectOption('other');
    await fixture.locator('#test-tools-who').selectOption('USAM');
    await fixture.locator('#test-tools-where').selectOption('CFOOD');
    await fixture.getByRole('button', { name: 'More options' }).click();
    await fixture.getByRole('button', { name: 'Close early' }).click();
    expect(await fixture.locator('#test-tools-when').inputValue()).toBe('2026-11-30');
    await fixture.locator('#test-tools-when').fill('2026-12-02');
    expect(await recorded('acted')).toEqual([
      { index: 0, action: 'done', chosen: {} },
      {
        index: 0,
        action: 'kind',
        chosen: { type: 'static_select', selected_option: option('Other', 'other') },
      },
      { index: 0, action: 'who', chosen: { type: 'users_select', selected_user: 'USAM' } },
      { index: 0, action: 'where', chosen: { type: 'conversations_select', selected_conversation: 'CFOOD' } },
      { index: 0, action: 'more', chosen: { selected_option: option('Close early', 'close') } },
      { index: 0, action: 'when', chosen: { type: 'datepicker', selected_date: '2026-12-02' } },
    ]);
  });

  it('keeps modal inputs in Slack’s state shape, and shows an error under its field', async () => {
    const input = (block: string, label: string, element: object, extra: object = {}) => ({
      type: 'input',
      block_id: block,
      label: { type: 'plain_text', text: label },
      element,
      ...extra,
    });
    const fixture = await draw(
      [
        input(
          'notes',
          'Notes',
          { type: 'plain_text_input', action_id: 'v', multiline: true },
          { optional: true, hint: { type: 'plain_text', text: 'Anything else' } },
        ),
        input('mood', 'Assessment', {
          type: 'radio_buttons',
          action_id: 'v',
          options: [option('On track', 'on'), option('At risk', 'risk')],
        }),
        input('days', 'Days', {
          type: 'checkboxes',
          action_id: 'v',
          options: [option('Monday', '1'), option('Tuesday', '2')],
        }),
        input('time', 'Time', { type: 'timepicker', action_id: 'v', initial_time: '09:00' }),
        input('due', 'Due', { type: 'datepicker', action_id: 'v' }),
      ],
      {},
      { due: 'That date has already passed.' },
    );
    await fixture.getByLabel('Notes').fill('Two lines\nof notes');
    await fixture.getByLabel('At risk').check();
    await fixture.getByLabel('Tuesday').check();
    await fixture.getByLabel('Monday').check();
    expect(await fixture.getByLabel('Time').inputValue()).toBe('09:00');
    await fixture.getByLabel('Time').fill('10:30');
    const set = (await recorded('set')) as { block: string; state: unknown }[];
    const last = (block: string) => set.filter((s) => s.block === block).at(-1)?.state;
    expect(last('notes')).toEqual({ type: 'plain_text_input', value: 'Two lines\nof notes' });
    expect(last('mood')).toEqual({ type: 'radio_buttons', selected_option: option('At risk', 'risk') });
    expect(last('days')).toEqual({
      type: 'checkboxes',
      selected_options: [option('Monday', '1'), option('Tuesday', '2')],
    });
    expect(last('time')).toEqual({ type: 'timepicker', selected_time: '10:30' });
    expect(await fixture.locator('.bk-input[data-block-id="due"] .bk-error').textContent()).toBe(
      'That date has already passed.',
    );
    expect(await fixture.locator('.bk-input[data-block-id="notes"] .bk-error').count()).toBe(0);
    expect(await fixture.locator('.bk-input[data-block-id="notes"]').textContent()).toContain(
      '(optional)Anything else',
    );
  });
});

const mrkdwnSection = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('the page’s mrkdwn', () => {
  it('links only to http, https and mailto; a link with any other scheme is shown as its text', async () => {
    const fixture = await draw([
      mrkdwnSection(
        '<javascript:alert(1)|click me> <https://example.org/a_b_c|site> <mailto:grace@example.org|mail> ' +
          '<data:text/html,hi|data> <JavaScript:alert(2)> <!date^1795557600^{date_short}^javascript:alert(3)|Tue> ' +
          '<!date^1795557600^{date_short}^https://example.org/when|Tue>',
      ),
      {
        type: 'rich_text',
        elements: [
          {
            type: 'rich_text_section',
            elements: [
              { type: 'link', url: 'javascript:alert(4)', text: 'rich' },
              { type: 'link', url: 'https://example.org/rich', text: 'safe' },
            ],
          },
        ],
      },
    ]);
    const hrefs = await fixture.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([
      'https://example.org/a_b_c',
      'mailto:grace@example.org',
      'https://example.org/when',
      'https://example.org/rich',
    ]);
    const text = await fixture.textContent();
    for (const shown of ['click me', 'data', 'JavaScript:alert(2)', 'rich']) expect(text).toContain(shown);
    expect(await fixture.locator('span.slack-date').count()).toBe(1);
  });

  it('always draws mentions and dates, even after a word with an underscore', async () => {
    const fixture = await draw([
      mrkdwnSection(
        '*Due:* Share data_sharing plan by <!date^1795557600^{date_short_pretty} at {time}|Tue 24 Nov>, ' +
          'with <@USAM> in snake_case_name and <https://example.org/a_b|a_link>; _done_',
      ),
    ]);
    const text = fixture.locator('.bk-section-text');
    expect(await text.locator('b').textContent()).toBe('Due:');
    expect(await text.locator('.slack-date').textContent()).toBe('tomorrow at 2:00 PM');
    expect(await text.locator('.mention').textContent()).toBe('@Sam Lee');
    expect(await text.locator('a[href="https://example.org/a_b"]').textContent()).toBe('a_link');
    expect(await text.locator('i').allTextContents()).toEqual(['done']);
    expect(await text.textContent()).not.toContain('<');
  });

  it('shows what a person types as text, markup and all', async () => {
    const person = await SandboxPage.open(browser, sandbox.url);
    try {
      await person.page.locator(`.person-card[data-user="${PEOPLE.sam}"]`).click();
      await person.open(CHANNELS.food);
      await person.type('<javascript:alert(1)|x> & <@USAM> stay *as typed*');
      const message = person.message('<javascript:alert(1)|x> & <@USAM> stay as typed');
      await message.waitFor();
      expect(await message.locator('.message-text a').count()).toBe(0);
      expect(await message.locator('.message-text .mention').count()).toBe(0);
      expect(await message.locator('.message-text b').textContent()).toBe('as typed');
    } finally {
      await person.page.close();
    }
  });
});
