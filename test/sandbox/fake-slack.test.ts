import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack, type FakeSlackOptions } from '../../src/sandbox/emulator/fake-slack.js';

const USER = 'UPRIYA';
const modal = (title: string) => ({
  type: 'modal',
  title: { type: 'plain_text', text: title },
  blocks: [{ type: 'section', text: { type: 'plain_text', text: title } }],
});
const home = (n: number) => ({
  type: 'home',
  blocks: [{ type: 'section', text: { type: 'plain_text', text: `Home ${n}` } }],
});

let fake: FakeSlack | undefined;
afterEach(() => fake?.stop());

/** An emulator with one person, and a Web API client on it, driven the way a long sandbox run drives it. */
async function driven(options: FakeSlackOptions) {
  fake = await FakeSlack.start(options);
  fake.addUser({ id: USER, name: 'priya' });
  const client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  for (let i = 0; i < 8; i++) await client.auth.test();
  for (let i = 0; i < 3; i++) await client.views.publish({ user_id: USER, view: home(i) as never });
  for (let i = 0; i < 3; i++) {
    const opened = await client.views.open({
      trigger_id: `trig.${USER}.${i}`,
      view: modal(`Form ${i}`) as never,
    });
    await client.views.update({
      view_id: opened.view?.id as string,
      view: modal(`Form ${i}, again`) as never,
    });
  }
  for (let i = 0; i < 3; i++) {
    await client.files.uploadV2({
      channel_id: `D${USER.slice(1)}`,
      file: Buffer.from(`a,b\n${i},${i}\n`),
      filename: `export-${i}.csv`,
    });
  }
  return fake;
}

describe('the emulator over a long run', () => {
  it('keeps every call, surface and file by default, for tests to look back at', async () => {
    const slack = await driven({});
    expect(slack.callsTo('auth.test')).toHaveLength(8);
    const kinds = slack.surfacesFor(USER).map((s) => s.kind);
    expect(kinds.filter((k) => k === 'home')).toHaveLength(3);
    expect(slack.views()).toHaveLength(3);
    expect(slack.uploads.files.size).toBe(3);
  });

  it('keeps only the latest records and files, and each open view’s current surface, when told to', async () => {
    const slack = await driven({ retain: { records: 5, files: 2 } });
    expect(slack.calls).toHaveLength(5);
    expect(slack.calls.at(-1)?.method).toBe('files.completeUploadExternal');
    const surfaces = slack.surfacesFor(USER);
    expect(surfaces.filter((s) => s.kind === 'home')).toHaveLength(1);
    expect(slack.homeView(USER)?.blocks[0].text.text).toBe('Home 2');
    // Each views.open replaced the last modal; only the open one, in its latest form, is kept.
    expect(slack.views().map((v) => v.view.title.text)).toEqual(['Form 2, again']);
    expect(surfaces.filter((s) => s.kind === 'modal')).toHaveLength(1);
    expect(slack.lastView()?.title.text).toBe('Form 2, again');
    expect([...slack.uploads.files.values()].map((f) => f.filename)).toEqual([
      'export-1.csv',
      'export-2.csv',
    ]);
    // Messages are the conversation itself: all kept.
    expect(slack.messages(USER).map((m) => m.files?.[0]?.name)).toEqual([
      'export-0.csv',
      'export-1.csv',
      'export-2.csv',
    ]);
  });
});
