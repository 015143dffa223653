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

describe('Slack’s markup wherever Concert reads it back', () => {
  it('prefills /commit as typed: mentions by name, channels, links, special mentions', async () => {
    await t.slack.command(
      PEOPLE.fay,
      '/commit',
      'Tell <!channel> &amp; <!everyone>: <@UCORA> reads <https://example.org/plan|the plan> in <#CCORE|core> &lt;today&gt;',
      { channel: CHANNELS.food },
    );
    expect(t.slack.modal(PEOPLE.fay).value('What will be done').value).toBe(
      'Tell @channel & @everyone: @cora reads the plan (https://example.org/plan) in #core <today>',
    );
  });

  it('prefills the message shortcut as typed, naming a mention Slack sent without a name', async () => {
    const posted = await t.concert.app.client.chat.postMessage({ channel: CHANNELS.food, text: 'hello' });
    await t.slack.messageShortcut(PEOPLE.cora, 'make_action_step', {
      channel: CHANNELS.food,
      ts: posted.ts as string,
      text: '<!here> can <@UFAY> and <!subteam^S0FOOD|@food-team> book the van? &lt;!here&gt; stays text',
      user: PEOPLE.fay,
    });
    expect(t.slack.modal(PEOPLE.cora).value('What will be done').value).toBe(
      '@here can @fay and @food-team book the van? <!here> stays text',
    );
  });

  it('posts a title typed with markup in a form as text, in the notification too', async () => {
    await t.slack.command(PEOPLE.fay, '/commit', 'anything', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    form
      .fill('What will be done', '<!channel> ping <@UCORA> & <!subteam^S1|@team>')
      .pick('Who will do it', PEOPLE.hal);
    form.date('Done by', '2026-12-30');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    const told = t.fake.messages(PEOPLE.hal).at(-1);
    expect(told?.text).toBe(
      `<@${PEOPLE.fay}> put you down for an action step: &lt;!channel&gt; ping &lt;@UCORA&gt; &amp; &lt;!subteam^S1|@team&gt;`,
    );
    expect(JSON.stringify(told?.blocks)).not.toMatch(/<!channel>|<@UCORA>|<!subteam/);
  });

  it('answers a command it does not know with the words as typed', async () => {
    await t.slack.command(PEOPLE.fay, '/checkin', 'for <!here>', { channel: CHANNELS.food });
    expect(t.fake.ephemerals(PEOPLE.fay).at(-1)?.text).toMatch(/^I don’t know `\/checkin for @here`\./);
    const answer = await t.slack.command(PEOPLE.fay, '/concert', '<!subteam^S0FOOD|@food-team>', {
      channel: CHANNELS.food,
    });
    expect(JSON.stringify(answer.body)).toContain('I don’t know `/concert @food-team`');
    expect(t.fake.rejections).toEqual([]);
  });
});
