import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { proposalPost } from '../harness/proposals.js';

// Failure kind: Slack's own markup in what people type (special mentions like @here, user-group mentions)
// is passed through wrongly: shown as raw tokens, or sent unescaped where Slack acts on it.
let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

// What Slack sends for “/propose Ask @here and @food-team to review the budget” (should_escape: true).
const TYPED = 'Ask <!here> and <!subteam^S0FOOD|@food-team> to review the budget';

describe('a slash command whose text holds @here and a user group', () => {
  it('prefills the title as the person typed it', async () => {
    await t.slack.command(PEOPLE.cora, '/propose', TYPED, { channel: CHANNELS.core });
    const first = t.slack.modal(PEOPLE.cora);
    first.radio('Kind of proposal', 'other');
    await first.submit(PEOPLE.cora);
    const form = t.slack.modal(PEOPLE.cora);
    const title = form.value('Title').value;
    console.log('title prefilled as:', title);
    const answer = await form.submit(PEOPLE.cora);
    expect(answer.body).toBe('');
    await t.settled();
    const post = proposalPost(t, 'Ask');
    console.log('Core message text field:', post.text);
    console.log('Core message first block:', post.blocks?.[0]?.text?.text);
    expect(title).toBe('Ask @here and @food-team to review the budget');
  });

  it('never sends a live special mention in a message’s text', () => {
    const calls = t.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNELS.core);
    const live = calls.filter((c) => /<!here>|<!subteam\^/.test(String(c.args.text)));
    console.log(
      'texts with live tokens:',
      live.map((c) => c.args.text),
    );
    expect(live).toEqual([]);
  });
});
