import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../harness/app.js';
import { addWorkGroup, CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import {
  latestProposal,
  proposalPost,
  propose,
  threadOf,
  vote,
  voteWithReason,
} from '../harness/proposals.js';
import { fireSlot } from '../harness/scheduler.js';

// The longest text each form takes, written the hardest way: emoji of several code points (ZWJ
// sequences, flags, skin tones), right-to-left scripts, the characters Slack escapes, and Slack's own
// markup typed as text. Each must be stored as typed, posted (the fake Slack refuses what Slack would),
// shown whole or cut with “…” between graphemes, escaped once, and never ping anyone.

// biome-ignore lint/suspicious/noExplicitAny: payloads are arbitrary JSON
type Json = any;

const PIECES = [
  '👨‍👩‍👧‍👦',
  ' مرحبا بالعالم ',
  '🇺🇦',
  ' & ',
  '👍🏽',
  ' שָׁלוֹם עולם ',
  '<!here>',
  ' <b>bold?</b> ',
  '🏳️‍🌈',
  ' @channel ',
  '<!subteam^S1|@team>',
  ' a < b > c ',
  '<!everyone> <!channel> <@UCORA> <#CCORE> <https://example.org|a link>',
  '🧑🏿‍🤝‍🧑🏻',
];

/** Exactly `length` UTF-16 units of hostile text, whole graphemes only; lines when `multiline`. */
function hostile(length: number, multiline = false, offset = 0): string {
  // Starts and ends with a letter, since forms keep what is typed without the spaces around it.
  let text = 'x';
  for (let i = offset; ; i++) {
    const piece = PIECES[i % PIECES.length] as string;
    const next = multiline && i % 5 === 4 ? `${piece}\n` : piece;
    if (text.length + next.length > length - 1) break;
    text += next;
  }
  return text.padEnd(length, 'x');
}

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LIVE_MENTION = /<!here|<!channel|<!everyone|<!subteam\^/;

const GROUP_NAME = hostile(80, false, 3);
const STEP = { title: hostile(150, false, 1), details: hostile(3000, true, 2) };
const CHECKIN = {
  intention: hostile(3000, true, 0),
  actionsTaken: hostile(3000, true, 4),
  note: hostile(1000, true, 5),
  stepNote: hostile(1000, true, 6),
  nextStep: hostile(150, false, 7),
  support: hostile(2000, true, 8),
};
const PROPOSAL = { title: hostile(150, false, 9), details: hostile(2500, true, 10) };
const REASONS = { newDate: hostile(1000, true, 11), support: hostile(1000, true, 12), drop: hostile(1000) };
const VOTES = { block: hostile(1000, true, 13), standAside: hostile(1000, true, 1) };

let t: TestApp;
beforeAll(async () => {
  t = await startCoalition();
  await addWorkGroup(t, { name: GROUP_NAME, channel: CHANNELS.housing });
});
afterAll(() => t.stop());

const steps = () => t.db.selectFrom('action_steps').selectAll().orderBy('id').execute();
const stepEvents = (id: number) =>
  t.db.selectFrom('action_step_events').selectAll().where('action_step_id', '=', id).orderBy('id').execute();

describe('the hostile text itself', () => {
  it('is as long as each form takes, of whole graphemes, holding everything hard', () => {
    expect(CHECKIN.intention).toHaveLength(3000);
    expect(PROPOSAL.details).toHaveLength(2500);
    expect(GROUP_NAME).toHaveLength(80);
    for (const text of [CHECKIN.intention, STEP.details, PROPOSAL.details]) {
      expect(text).not.toMatch(LONE_SURROGATE);
      for (const piece of [
        '👨‍👩‍👧‍👦',
        '🇺🇦',
        '👍🏽',
        'مرحبا',
        'שָׁלוֹם',
        '&',
        '<!here>',
        '@channel',
        '<!subteam^S1|@team>',
      ])
        expect(text).toContain(piece);
    }
  });
});

describe('an action step', () => {
  it('is stored as typed, and its owner is told', async () => {
    t.clock.set('2026-11-23T15:00:00Z');
    await t.slack.command(PEOPLE.fay, '/commit', 'Book the van', { channel: CHANNELS.food });
    const van = t.slack.modal(PEOPLE.fay).date('Done by', '2026-12-02');
    expect((await van.submit(PEOPLE.fay)).body).toBe('');

    await t.slack.command(PEOPLE.fay, '/commit', 'anything', { channel: CHANNELS.food });
    const form = t.slack.modal(PEOPLE.fay);
    form
      .fill('What will be done', STEP.title)
      .fill('Details', STEP.details)
      .pick('Who will do it', PEOPLE.hal)
      .date('Done by', '2026-11-25');
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();
    const step = (await steps()).at(-1);
    expect(step).toMatchObject({ title: STEP.title, details: STEP.details, owner_id: PEOPLE.hal });
    const told = t.fake.messages(PEOPLE.hal).at(-1);
    expect(told?.text).toBe(`<@${PEOPLE.fay}> put you down for an action step: ${escaped(STEP.title)}`);
  });

  it('takes a new date, a request for support and its details, each reason stored as typed', async () => {
    t.clock.set('2026-11-23T16:00:00Z');
    await t.slack.clickButton(PEOPLE.hal, 'Open', { in: 'message' });
    const details = t.fake.lastView();
    expect(JSON.stringify(details.blocks)).toContain(JSON.stringify(escaped(STEP.details)).slice(1, 200));

    await t.slack.clickButton(PEOPLE.hal, 'New date', { in: 'message' });
    const newDate = t.slack.modal(PEOPLE.hal);
    newDate.date('New date', '2026-11-27').fill('Why the date is changing', REASONS.newDate);
    expect((await newDate.submit(PEOPLE.hal)).body).toBe('');

    // The DM now says what changed, without buttons: the list of Hal's steps has them.
    await t.slack.command(PEOPLE.hal, '/commit', 'list', { channel: CHANNELS.housing });
    await t.slack.clickButton(PEOPLE.hal, 'Need support', { in: 'ephemeral' });
    const support = t.slack.modal(PEOPLE.hal);
    support.fill('What help would move this forward', REASONS.support);
    expect((await support.submit(PEOPLE.hal)).body).toBe('');
    await t.settled();

    const step = (await steps()).at(-1)!;
    const notes = (await stepEvents(step.id)).map((e) => e.note).filter(Boolean);
    expect(notes).toEqual([REASONS.newDate, REASONS.support]);
    // The backbone reads the request whole, across as many sections as it takes.
    const request = t.fake.messages(CHANNELS.backbone).at(-1);
    expect(request?.text).toBe(`${escaped(STEP.title)}: support requested`);
    const shown = (request?.blocks ?? [])
      .filter((b: Json) => b.type === 'section')
      .map((b: Json) => b.text.text)
      .join('\n');
    for (const line of escaped(REASONS.support).split('\n')) expect(shown).toContain(line);
  });

  it('is nudged with its details cut short between graphemes, with “…”', async () => {
    for (const at of ['2026-11-26T16:00:00Z', '2026-11-27T16:00:00Z'])
      await fireSlot(t, 'nudges', new Date(at));
    const nudges = t.fake.messages(PEOPLE.hal).filter((m) => m.text.includes('due today'));
    expect(nudges.length).toBeGreaterThan(0);
    const preview = nudges[0]?.blocks?.find((b: Json) => b.type === 'context')?.elements[0].text as string;
    expect(preview.endsWith('…')).toBe(true);
    expect(escaped(STEP.details).startsWith(preview.slice(0, -1).trimEnd())).toBe(true);
  });
});

describe('a check-in', () => {
  it('is stored as typed, and its report posted whole in the round’s thread', async () => {
    await fireSlot(t, 'checkins', new Date('2026-11-30T15:00:00Z'));
    t.clock.set('2026-11-30T16:00:00Z');
    await t.slack.clickButton(PEOPLE.fay, 'Start check-in', { in: 'message' });
    const form = t.slack.modal(PEOPLE.fay);
    form
      .fill('Intention', CHECKIN.intention)
      .select('Book the van', 'In progress')
      .fill('Book the van › Reason or note', CHECKIN.stepNote)
      .fill('Actions taken since last check-in', CHECKIN.actionsTaken)
      .radio('Progress toward the intention', '🟡 At risk')
      .fill('About that', CHECKIN.note)
      .fill('Next step 1', CHECKIN.nextStep)
      .date('Next step 1 › Done by', '2026-12-04')
      .fill('Support needed', CHECKIN.support);
    expect((await form.submit(PEOPLE.fay)).body).toBe('');
    await t.settled();

    await t.slack.clickButton(PEOPLE.hal, 'Start check-in', { in: 'message' });
    const hal = t.slack.modal(PEOPLE.hal);
    hal.fill('Intention', CHECKIN.intention).radio('Progress toward the intention', '🟢 On track');
    expect((await hal.submit(PEOPLE.hal)).body).toBe('');
    await t.settled();

    const stored = await t.db.selectFrom('checkins').selectAll().where('user_id', '=', PEOPLE.fay).execute();
    expect(stored.at(-1)).toMatchObject({
      intention: CHECKIN.intention,
      actions_taken: CHECKIN.actionsTaken,
      assessment_note: CHECKIN.note,
      support_needed: CHECKIN.support,
    });
    expect((await steps()).some((s) => s.title === CHECKIN.nextStep)).toBe(true);

    for (const at of ['2026-12-01T15:00:00Z', '2026-12-02T15:00:00Z', '2026-12-02T15:05:00Z'])
      await fireSlot(t, 'checkins', new Date(at));
    const report = t.fake
      .messages(CHANNELS.food)
      .find((m) => m.thread_ts && m.text === `Check-in from <@${PEOPLE.fay}>: 🟡 At risk`);
    const sections = (report?.blocks ?? []).map((b: Json) => b.text?.text ?? b.elements?.[0]?.text);
    const whole = sections.join('\n');
    expect(whole).toContain(`*Intention*\n${escaped(CHECKIN.intention).split('\n')[0]}`);
    for (const field of [CHECKIN.intention, CHECKIN.actionsTaken, CHECKIN.note, CHECKIN.support])
      for (const line of escaped(field).split('\n')) expect(whole).toContain(line.trim());
    const summary = t.fake.messages(CHANNELS.housing).find((m) => !m.thread_ts);
    expect(summary?.text).toContain(`Check-in · ${escaped(GROUP_NAME)} ·`);
    expect(t.fake.messages(CHANNELS.housing).filter((m) => m.thread_ts)).toHaveLength(1);
  });

  it('asks the backbone for support with the request whole', () => {
    const asked = t.fake
      .messages(CHANNELS.backbone)
      .find((m) => m.text.includes('asks for support in their check-in'));
    const shown = (asked?.blocks ?? []).map((b: Json) => b.text?.text).join('\n');
    for (const line of escaped(CHECKIN.support).split('\n')) expect(shown).toContain(line.trim());
  });

  it('lets the step be dropped with a reason after its nudges and escalation', async () => {
    for (const at of ['2026-12-02T16:00:00Z', '2026-12-03T16:00:00Z'])
      await fireSlot(t, 'nudges', new Date(at));
    t.clock.set('2026-12-03T17:00:00Z');
    await t.slack.clickButton(PEOPLE.hal, 'Drop', { in: 'message' });
    const drop = t.slack.modal(PEOPLE.hal);
    drop.fill('Why it is being dropped', REASONS.drop);
    expect((await drop.submit(PEOPLE.hal)).body).toBe('');
    await t.settled();
    const step = (await steps()).find((s) => s.title === STEP.title)!;
    expect(step.status).toBe('dropped');
    expect((await stepEvents(step.id)).at(-1)?.note).toBe(REASONS.drop);
  });
});

describe('a proposal', () => {
  it('is stored as typed, put to the Core with its details whole, and decided with its reasons', async () => {
    t.clock.set('2026-12-07T15:00:00Z');
    const answer = await propose(t, PEOPLE.cora, 'anything', 'other', (f) =>
      f.fill('Title', PROPOSAL.title).fill('Details', PROPOSAL.details),
    );
    expect(answer.body).toBe('');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({ title: PROPOSAL.title, details: PROPOSAL.details });
    const post = proposalPost(t, escaped(PROPOSAL.title));
    expect(post.text).toBe(`Proposal: ${escaped(PROPOSAL.title)} (open for a vote)`);
    const texts = (post.blocks ?? []).filter((b: Json) => b.type === 'section').map((b: Json) => b.text.text);
    expect(texts.slice(1, -1).join('\n')).toContain(escaped(PROPOSAL.details).split('\n')[0]);
    const details = escaped(PROPOSAL.details);
    const shown = texts.join('\n');
    for (const line of details.split('\n')) expect(shown).toContain(line.trim());

    expect((await voteWithReason(t, PEOPLE.ben, 'Block', VOTES.block)).body).toBe('');
    expect((await voteWithReason(t, PEOPLE.carl, 'Stand aside', VOTES.standAside)).body).toBe('');
    await vote(t, PEOPLE.cora, 'Support');
    await t.settled();
    expect(await latestProposal(t)).toMatchObject({ outcome: 'blocked' });
    const [outcome] = threadOf(t, escaped(PROPOSAL.title));
    expect(outcome?.text).toBe(`Blocked: ${escaped(PROPOSAL.title)}`);
    const reasons = (outcome?.blocks ?? [])
      .map((b: Json) => b.text?.text ?? b.elements?.[0]?.text)
      .join('\n');
    // Each reason is shown up to 1,200 characters as escaped, and cut with “…” past that.
    expect(reasons).toMatch(/…/);
  });
});

describe('the digest and the App Home', () => {
  it('show the hostile titles and requests, cut between graphemes', async () => {
    t.clock.set('2026-12-08T15:00:00Z');
    await t.slack.command(PEOPLE.bea, '/concert', 'digest 3', { channel: CHANNELS.backbone });
    const digest = t.fake
      .ephemerals(PEOPLE.bea)
      .filter((e) => e.text.startsWith('Coalition digest'))
      .at(-1);
    expect(JSON.stringify(digest?.blocks)).toContain('Asking for support');
    for (const user of [PEOPLE.fay, PEOPLE.hal, PEOPLE.cora, PEOPLE.bea])
      await t.slack.event({ type: 'app_home_opened', user, tab: 'home', channel: `D${user}` });
    expect(JSON.stringify(t.fake.homeView(PEOPLE.fay))).toContain(
      JSON.stringify(escaped(CHECKIN.nextStep)).slice(1, -1),
    );
  });
});

/** Every string in a payload, with the kind of text object it sits in, if any. */
function* texts(value: Json, kind?: string): Generator<{ text: string; kind: string | undefined }> {
  if (typeof value === 'string') yield { text: value, kind };
  else if (Array.isArray(value)) for (const item of value) yield* texts(item, kind);
  else if (value && typeof value === 'object') {
    const here = typeof value.type === 'string' && typeof value.text === 'string' ? value.type : kind;
    for (const child of Object.values(value)) yield* texts(child, here);
  }
}

describe('everything Concert sent along the way', () => {
  const methods = [
    'chat.postMessage',
    'chat.update',
    'chat.postEphemeral',
    'response_url',
    'views.open',
    'views.update',
    'views.push',
    'views.publish',
  ];

  it('was taken by Slack', () => {
    expect(t.fake.rejections).toEqual([]);
    expect(methods.reduce((n, m) => n + t.fake.callsTo(m).length, 0)).toBeGreaterThan(40);
  });

  it('holds no half of an emoji, nothing escaped twice, and no live @here, @channel, @everyone or user group', () => {
    const problems: string[] = [];
    for (const method of methods) {
      for (const call of t.fake.callsTo(method)) {
        const { text } = call.args;
        if (typeof text === 'string' && LIVE_MENTION.test(text))
          problems.push(`${method} text: ${text.slice(0, 80)}`);
        for (const found of texts({ blocks: call.args.blocks, view: call.args.view })) {
          if (LONE_SURROGATE.test(found.text)) problems.push(`${method}: a lone surrogate`);
          if (found.text.includes('&amp;amp;')) problems.push(`${method}: escaped twice`);
          // Slack shows plain text as it is, never as markup: only mrkdwn can ping.
          if (found.kind !== 'plain_text' && LIVE_MENTION.test(found.text))
            problems.push(`${method} ${found.kind}: ${found.text.slice(0, 80)}`);
        }
        if (typeof text === 'string' && LONE_SURROGATE.test(text))
          problems.push(`${method} text: a lone surrogate`);
      }
    }
    expect(problems).toEqual([]);
  });
});
