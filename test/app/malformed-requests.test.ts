import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATE_NOTICE, UNHANDLED_NOTICE } from '../../src/views/request-notices.js';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, PEOPLE, startCoalition } from '../harness/coalition.js';
import { FORM, interaction, JSON_TYPE, postSigned } from './signed-post.js';

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
});
afterAll(() => t.stop());

const user = { id: PEOPLE.fay, username: 'fay', team_id: TEAM_ID };
const team = { id: TEAM_ID, domain: 'coalition' };

function click(actions: unknown, extra: Record<string, unknown> = {}) {
  return {
    type: 'block_actions',
    user,
    team,
    api_app_id: 'A0001',
    trigger_id: `trig.${PEOPLE.fay}.${Math.random()}`,
    container: { type: 'message', message_ts: '1.000001', channel_id: CHANNELS.food },
    channel: { id: CHANNELS.food, name: 'food-access' },
    response_url: t.fake.responseUrl(PEOPLE.fay, CHANNELS.food),
    actions,
    ...extra,
  };
}

function submission(view: unknown, extra: Record<string, unknown> = {}) {
  return {
    type: 'view_submission',
    user,
    team,
    api_app_id: 'A0001',
    trigger_id: `trig.${Math.random()}`,
    view,
    ...extra,
  };
}

const inputBlock = { type: 'input', block_id: 'first', label: { type: 'plain_text', text: 'Title' } };

function event(inner: unknown, extra: Record<string, unknown> = {}) {
  return {
    type: 'event_callback',
    team_id: TEAM_ID,
    api_app_id: 'A0001',
    event_id: `EvODD${Math.random().toString(36).slice(2, 10)}`,
    event_time: 1,
    event: inner,
    ...extra,
  };
}

function command(fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

const goodCommand = {
  command: '/concert',
  text: 'help',
  team_id: TEAM_ID,
  channel_id: CHANNELS.general,
  user_id: PEOPLE.fay,
  trigger_id: 'trig.cmd',
};

const without = (fields: Record<string, string>, name: string) =>
  Object.fromEntries(Object.entries(fields).filter(([key]) => key !== name));

/** Every structural oddity: [name, body, content type]. Each must be answered, below 500, within 3 s. */
const oddities = (): [string, string, string][] => [
  ['form payload=null', 'payload=null', FORM],
  ['form payload empty', 'payload=', FORM],
  ['form payload not JSON', 'payload=%7Bnope', FORM],
  ['form payload a number', 'payload=42', FORM],
  ['form payload a string', 'payload=%22hi%22', FORM],
  ['form payload an array', 'payload=%5B%5D', FORM],
  ['form payload {}', 'payload=%7B%7D', FORM],
  ['empty form', '', FORM],
  ['JSON null', 'null', JSON_TYPE],
  ['JSON array', '[]', JSON_TYPE],
  ['JSON number', '7', JSON_TYPE],
  ['JSON string', '"x"', JSON_TYPE],
  ['JSON {}', '{}', JSON_TYPE],
  ['not JSON at all', '{', JSON_TYPE],
  ['actions: null', interaction(click(null)), FORM],
  ['actions: {}', interaction(click({})), FORM],
  ['actions: []', interaction(click([])), FORM],
  ['actions: [null]', interaction(click([null])), FORM],
  ['action without action_id', interaction(click([{ value: '1' }])), FORM],
  [
    'click without user',
    interaction({ ...click([{ action_id: 'step_done', value: '1' }]), user: undefined }),
    FORM,
  ],
  [
    'click with user null',
    interaction(click([{ action_id: 'step_done', value: '1' }], { user: null })),
    FORM,
  ],
  [
    'click with user a string',
    interaction(click([{ action_id: 'step_done', value: '1' }], { user: 'UFAY' })),
    FORM,
  ],
  [
    'click with channel null',
    interaction(click([{ action_id: 'step_done', value: '1' }], { channel: null })),
    FORM,
  ],
  [
    'click with team a number',
    interaction(click([{ action_id: 'step_done', value: '1' }], { team: 5 })),
    FORM,
  ],
  [
    'click with a step id that is not a number',
    interaction(click([{ action_id: 'step_done', value: 'x' }])),
    FORM,
  ],
  ['click with no value', interaction(click([{ action_id: 'step_done' }])), FORM],
  ['view_submission without view', interaction(submission(undefined)), FORM],
  ['view_submission with view null', interaction(submission(null)), FORM],
  ['view_submission without callback_id', interaction(submission({ id: 'V1', blocks: [inputBlock] })), FORM],
  [
    'view_submission with state null',
    interaction(
      submission({ id: 'V1', callback_id: 'action_step_submit', state: null, blocks: [inputBlock] }),
    ),
    FORM,
  ],
  [
    'view_submission with values of the wrong types',
    interaction(
      submission({
        id: 'V1',
        callback_id: 'action_step_submit',
        private_metadata: '{"nope"',
        state: { values: { step_title: { title: 5 }, step_due: null } },
        blocks: [inputBlock],
      }),
    ),
    FORM,
  ],
  [
    'view_submission without user',
    interaction({ ...submission({ id: 'V1', callback_id: 'setup_submit' }), user: undefined }),
    FORM,
  ],
  ['view_closed without view', interaction({ type: 'view_closed', user, team }), FORM],
  [
    'shortcut without callback_id',
    interaction({ type: 'message_action', user, team, trigger_id: 't' }),
    FORM,
  ],
  [
    'message shortcut without message',
    interaction({
      type: 'message_action',
      user,
      team,
      trigger_id: 't',
      callback_id: 'make_action_step',
      channel: { id: CHANNELS.food },
    }),
    FORM,
  ],
  [
    'block_suggestion without action_id',
    interaction({ type: 'block_suggestion', user, team, value: 'x' }),
    FORM,
  ],
  ['type a number', interaction({ type: 123, user, team }), FORM],
  ['command without user', command(without(goodCommand, 'user_id')), FORM],
  ['command without team', command(without(goodCommand, 'team_id')), FORM],
  ['command with two users', command({ ...goodCommand, user_id: [PEOPLE.fay, PEOPLE.hal] }), FORM],
  ['command with an empty name', command({ ...goodCommand, command: '' }), FORM],
  ['event null', JSON.stringify(event(null)), JSON_TYPE],
  ['event without type', JSON.stringify(event({ user: PEOPLE.fay })), JSON_TYPE],
  [
    'event with channel null',
    JSON.stringify(event({ type: 'member_joined_channel', user: PEOPLE.fay, channel: null })),
    JSON_TYPE,
  ],
  ['event with item a string', JSON.stringify(event({ type: 'reaction_added', item: 'x' })), JSON_TYPE],
  [
    'event with authorizations [null]',
    JSON.stringify(event({ type: 'app_home_opened', user: PEOPLE.fay }, { authorizations: [null] })),
    JSON_TYPE,
  ],
  [
    'event without team',
    JSON.stringify(event({ type: 'app_home_opened', user: PEOPLE.fay }, { team_id: undefined })),
    JSON_TYPE,
  ],
  [
    'member joined with user an object',
    JSON.stringify(
      event({ type: 'member_joined_channel', user: { id: PEOPLE.fay }, channel: CHANNELS.food }),
    ),
    JSON_TYPE,
  ],
  ['home opened without user', JSON.stringify(event({ type: 'app_home_opened', tab: 'home' })), JSON_TYPE],
  [
    'tokens revoked with tokens null',
    JSON.stringify(event({ type: 'tokens_revoked', tokens: null })),
    JSON_TYPE,
  ],
  [
    'member joined with user null',
    JSON.stringify(event({ type: 'member_joined_channel', user: null, channel: CHANNELS.food })),
    JSON_TYPE,
  ],
];

describe('structurally odd requests', () => {
  it('answers each oddity below 500 and within 3 s, and the app lives on', async () => {
    const results = [];
    for (const [name, body, type] of oddities()) {
      const answer = await postSigned(t.url, body, type);
      results.push({ name, status: answer.status, slow: answer.ms > 3_000 });
    }
    await t.settled();
    const bad = results.filter((r) => r.status === 0 || r.status >= 500 || r.slow);
    expect(bad).toEqual([]);
    // Bodies that are not objects, or not what Slack sends for their kind, never reach a listener.
    const byName = Object.fromEntries(results.map((r) => [r.name, r.status]));
    for (const name of [
      'form payload=null',
      'JSON null',
      'actions: null',
      'actions: {}',
      'click without user',
    ])
      expect(byName[name], name).toBe(400);
    expect(byName['view_submission without view']).toBe(400);
    expect(byName['member joined with user an object']).toBe(400);

    // Still alive and answering.
    const help = await t.slack.command(PEOPLE.fay, '/concert', 'help');
    expect(help.body.text).toContain('/concert setup');
  });
});

describe('requests Concert does not handle', () => {
  it('answers a slash command it does not know at once, with an ephemeral saying so', async () => {
    const answer = await t.slack.command(PEOPLE.fay, '/unknown', 'anything');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ response_type: 'ephemeral', text: UNHANDLED_NOTICE });
  });

  it('answers a click on a button it does not know, and tells the person by the response URL', async () => {
    const before = t.fake.ephemerals(PEOPLE.fay).length;
    const answer = await postSigned(
      t.url,
      interaction(click([{ action_id: 'gone_button', value: '1' }])),
      FORM,
    );
    await t.settled();
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const told = t.fake
      .ephemerals(PEOPLE.fay)
      .slice(before)
      .map((e) => e.text);
    expect(told).toEqual([UNHANDLED_NOTICE]);
  });

  it('keeps a form it does not know open, with the notice under its first field', async () => {
    const answer = await postSigned(
      t.url,
      interaction(submission({ id: 'V1', callback_id: 'old_form', blocks: [inputBlock] })),
      FORM,
    );
    expect(answer.json).toEqual({ response_action: 'errors', errors: { first: UNHANDLED_NOTICE } });
  });

  it('answers an unknown shortcut, an options request, an unknown event and an unknown kind at once', async () => {
    const shortcut = await postSigned(
      t.url,
      interaction({ type: 'shortcut', user, team, callback_id: 'old_shortcut', trigger_id: 't' }),
      FORM,
    );
    const options = await postSigned(
      t.url,
      interaction({ type: 'block_suggestion', user, team, action_id: 'x', block_id: 'b', value: 'a' }),
      FORM,
    );
    const unknownEvent = await postSigned(
      t.url,
      JSON.stringify(event({ type: 'reaction_added', item: {} })),
      JSON_TYPE,
    );
    const unknownKind = await postSigned(
      t.url,
      interaction({ type: 'dialog_cancellation', user, team }),
      FORM,
    );
    await t.settled();
    expect([shortcut.status, options.status, unknownEvent.status, unknownKind.status]).toEqual([
      200, 200, 200, 200,
    ]);
    expect(options.json).toEqual({ options: [] });
    // Answered as soon as the listeners were done, never by the deadline.
    expect(t.fake.ephemerals(PEOPLE.fay).map((e) => e.text)).not.toContain(LATE_NOTICE);
  });
});
