import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, PEOPLE } from '../../src/sandbox/seed/index.js';
import { launchBrowser, SandboxPage, startSandbox } from './browser.js';

let browser: Browser;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  [browser, sandbox] = await Promise.all([launchBrowser(), startSandbox(new Date('2026-11-23T15:00:00Z'))]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const formIds = () => sandbox.server.workspace?.fake.modalStack(PEOPLE.sam).map((v) => v.id) ?? [];

describe('the page across a Reset', () => {
  it('forgets what was typed in a form when the sandbox is reset from another tab', async () => {
    const s = await SandboxPage.openAs(browser, sandbox.url, PEOPLE.sam, CHANNELS.food);
    try {
      await s.type('/commit');
      let modal = await s.modal('New action step');
      await modal.getByLabel('What will be done').fill('Typed before the reset');
      const before = formIds();

      const reset = await fetch(`${sandbox.url}/api/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(reset.status).toBe(200);
      await s.modalClosed();
      await s.page.locator('#starting').waitFor({ state: 'hidden' });

      await s.type('/commit');
      modal = await s.modal('New action step');
      // The new coalition gives the form the same view ID the old one had.
      expect(formIds()).toEqual(before);
      expect(await modal.getByLabel('What will be done').inputValue()).toBe('');
    } finally {
      await s.page.close();
    }
  }, 60_000);
});

describe('files the app shares', () => {
  it('shows a backbone member the export’s four CSV files in their DM, ready to download', async () => {
    const s = await SandboxPage.openAs(browser, sandbox.url, PEOPLE.amara, CHANNELS.backbone);
    try {
      await s.type('/concert export');
      await s.message('The CSV files are in your DM with Concert.').locator('.ephemeral-note').waitFor();
      await s.open(`D${PEOPLE.amara.slice(1)}`);
      const shared = s.message('The coalition’s records');
      await shared.locator('.file-link').first().waitFor();
      const links = shared.locator('.file-link');
      expect(await links.evaluateAll((all) => all.map((a) => a.getAttribute('download')))).toEqual([
        expect.stringMatching(/^concert-action-steps-\d{4}-\d\d-\d\d\.csv$/),
        expect.stringMatching(/^concert-check-ins-\d{4}-\d\d-\d\d\.csv$/),
        expect.stringMatching(/^concert-decisions-\d{4}-\d\d-\d\d\.csv$/),
        expect.stringMatching(/^concert-indicators-\d{4}-\d\d-\d\d\.csv$/),
      ]);
      const [download] = await Promise.all([
        s.page.waitForEvent('download'),
        links.filter({ hasText: 'Check-ins' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^concert-check-ins-.*\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      expect(csv.split('\r\n')[0]).toMatch(/^\uFEFF?id,work_group,round_date,user_id,status,/);
      expect(csv.split('\r\n').length).toBeGreaterThan(10);
    } finally {
      await s.page.close();
    }
  }, 60_000);
});

describe('text in any script', () => {
  it('shows a message with emoji, Arabic, Chinese, Japanese and Korean as it was written, emoji in colour', async () => {
    // Lena, in Berlin, with no form left open by the tests above.
    const s = await SandboxPage.openAs(browser, sandbox.url, PEOPLE.lena, CHANNELS.food);
    try {
      const text = 'Thank you all 🎉 👍 ✅ — شكرا جزيلا — 谢谢大家 — ありがとう — 감사합니다';
      await s.type(text);
      const shown = s.message('شكرا جزيلا').locator('.message-text');
      await shown.waitFor();
      expect(await shown.textContent()).toBe(text);

      // The fonts the browser drew the message with, as it reports them.
      const cdp = await s.page.context().newCDPSession(s.page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
        nodeId: root.nodeId,
        selector: '#conversation .message-text',
      });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds.at(-1) as number });
      expect(fonts.map((font) => font.familyName)).toContainEqual(expect.stringMatching(/emoji/i));
      await s.shot('text-in-any-script');
    } finally {
      await s.page.close();
    }
  }, 60_000);
});
