import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ids from '../../src/views/ids.js';
import { TEAM_ID, type TestApp } from '../harness/app.js';
import { CHANNELS, commitStep, PEOPLE, startCoalition } from '../harness/coalition.js';
import { onRealPostgres } from '../harness/database.js';
import { FORM, interaction, JSON_TYPE, postSigned, type Timed } from './signed-post.js';

/**
 * Validly signed requests of every kind Slack sends, with every field now and then replaced by an oddity
 * (null, a number, an array, an object, an empty or random string) and the IDs drawn from the app's own, so
 * that many reach a listener with odd values instead of stopping at the first check. Ten thousand on a
 * PostgreSQL server; two thousand on the embedded database, several times slower per request, where the same
 * request layer is under test. FUZZ_RUNS and FUZZ_SEED repeat a run or make it longer.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? (onRealPostgres ? 10_000 : 2_000));
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const AT_ONCE = Number(process.env.FUZZ_AT_ONCE ?? 8);

let t: TestApp;

beforeAll(async () => {
  t = await startCoalition();
  await commitStep(t, PEOPLE.fay, 'Call the food bank', '2026-12-15');
  await t.settled();
});
afterAll(() => t.stop());

/** Every string in the app's table of IDs: commands, callbacks, block and action IDs. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}
const appIds = [...new Set(strings(ids))];
const commands = strings(ids.COMMAND);

const oddity = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);
/** Mostly `arb`, sometimes an oddity, sometimes missing altogether. */
const field = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 30, arbitrary: arb },
    { weight: 1, arbitrary: oddity },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const userId = fc.oneof(fc.constantFrom(...Object.values(PEOPLE)), fc.string({ maxLength: 10 }));
const channelId = fc.oneof(fc.constantFrom(...Object.values(CHANNELS), 'DFAY'), fc.string({ maxLength: 10 }));
const appId = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...appIds) }, fc.string({ maxLength: 20 }));
const value = fc.oneof(
  fc.constantFrom('1', '2', '0', '-1', '999999999999', 'close:1', 'withdraw:1', '{}'),
  fc.string({ maxLength: 20 }),
);
const text = fc.oneof(
  fc.constantFrom(
    '',
    'help',
    'setup',
    'list',
    'list 2',
    'group <#CFOOD|food>',
    'nudge <@UFAY>',
    'export',
    'digest',
    'decisions',
  ),
  fc.string({ maxLength: 40 }),
);
let triggers = 0;
const trigger = fc.oneof(
  { weight: 9, arbitrary: fc.constant(undefined).map(() => `trig.${PEOPLE.fay}.fuzz${++triggers}`) },
  { weight: 1, arbitrary: fc.constantFrom('trig.repeat', '') },
);
const user = fc.record({ id: field(userId), team_id: field(fc.constant(TEAM_ID)), name: field(fc.string()) });
const team = fc.oneof({ weight: 8, arbitrary: fc.constant({ id: TEAM_ID, domain: 'coalition' }) }, oddity);
const channel = fc.record({ id: field(channelId), name: field(fc.string({ maxLength: 8 })) });
const responseUrl = () =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(undefined).map(() => t.fake.responseUrl(PEOPLE.fay, CHANNELS.food)) },
    oddity,
  );
const stateValues = fc.dictionary(
  appId,
  fc.dictionary(
    appId,
    fc.record(
      {
        type: fc.constantFrom(
          'plain_text_input',
          'datepicker',
          'static_select',
          'users_select',
          'checkboxes',
        ),
        value: field(fc.string({ maxLength: 30 })),
        selected_date: field(fc.constantFrom('2026-12-24', '2020-01-01', 'not-a-date')),
        selected_option: field(fc.record({ value: field(value) })),
        selected_user: field(userId),
        selected_users: field(fc.array(userId, { maxLength: 3 })),
        selected_conversation: field(channelId),
        selected_options: field(fc.array(fc.record({ value: field(value) }), { maxLength: 3 })),
        selected_time: field(fc.constantFrom('09:00', '25:99', '')),
      },
      { requiredKeys: [] },
    ),
    { maxKeys: 3 },
  ),
  { maxKeys: 4 },
);
const view = fc.record(
  {
    id: field(fc.constantFrom('V1', 'V2', 'VHOMEUFAY')),
    callback_id: field(appId),
    private_metadata: field(
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.string(),
      ),
    ),
    state: field(fc.record({ values: field(stateValues) })),
    blocks: field(fc.constant([{ type: 'input', block_id: 'b1', label: { type: 'plain_text', text: 'X' } }])),
    hash: field(fc.string({ maxLength: 4 })),
  },
  { requiredKeys: [] },
);
const action = fc.record(
  {
    action_id: field(appId),
    block_id: field(appId),
    value: field(value),
    type: field(fc.constantFrom('button', 'overflow', 'static_select')),
    selected_option: field(fc.record({ value: field(value) })),
  },
  { requiredKeys: [] },
);

const common = () => ({
  user: field(user),
  team: team,
  api_app_id: fc.constant('A0001'),
  trigger_id: field(trigger),
  response_url: field(responseUrl()),
  channel: field(channel),
});

type Request = { kind: string; body: string; type: string };
const form = (fields: Record<string, unknown>) => {
  const body = new URLSearchParams();
  for (const [name, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    for (const each of Array.isArray(v) ? v : [v])
      body.append(name, typeof each === 'string' ? each : JSON.stringify(each));
  }
  return body.toString();
};
const clean = <T extends Record<string, unknown>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

const slashCommand: fc.Arbitrary<Request> = fc
  .record({
    command: field(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...commands) }, fc.constant('/unknown'))),
    text: field(text),
    user_id: field(userId),
    team_id: field(fc.constant(TEAM_ID)),
    channel_id: field(channelId),
    trigger_id: field(trigger),
    response_url: field(responseUrl()),
  })
  .map((fields) => ({ kind: 'command', body: form(fields), type: FORM }));

const blockActions: fc.Arbitrary<Request> = fc
  .record({
    ...common(),
    type: fc.constant('block_actions'),
    actions: field(fc.array(action, { minLength: 1, maxLength: 2 })),
    container: field(fc.record({ type: fc.constantFrom('message', 'view'), message_ts: field(fc.string()) })),
    message: field(fc.record({ ts: field(fc.string({ maxLength: 8 })), text: field(fc.string()) })),
    view: field(view),
  })
  .map((p) => ({ kind: 'block_actions', body: interaction(clean(p)), type: FORM }));

const viewSubmission: fc.Arbitrary<Request> = fc
  .record({ ...common(), type: fc.constantFrom('view_submission', 'view_closed'), view: field(view) })
  .map((p) => ({ kind: p.type, body: interaction(clean(p)), type: FORM }));

const shortcut: fc.Arbitrary<Request> = fc
  .record({
    ...common(),
    type: fc.constantFrom('shortcut', 'message_action'),
    callback_id: field(appId),
    message: field(
      fc.record({ ts: field(fc.string({ maxLength: 8 })), text: field(fc.string()), user: field(userId) }),
    ),
  })
  .map((p) => ({ kind: p.type, body: interaction(clean(p)), type: FORM }));

const suggestion: fc.Arbitrary<Request> = fc
  .record({
    ...common(),
    type: fc.constant('block_suggestion'),
    action_id: field(appId),
    value: field(fc.string()),
  })
  .map((p) => ({ kind: 'block_suggestion', body: interaction(clean(p)), type: FORM }));

const eventTypes = [
  'member_joined_channel',
  'member_left_channel',
  'app_home_opened',
  'channel_archive',
  'channel_unarchive',
  'channel_left',
  'channel_deleted',
  'channel_rename',
  'user_change',
  'tokens_revoked',
  'reaction_added',
  'message',
];
let events = 0;
const eventCallback: fc.Arbitrary<Request> = fc
  .record({
    type: fc.constant('event_callback'),
    team_id: field(fc.constant(TEAM_ID)),
    event_id: field(fc.constant(undefined).map(() => `EvFUZZ${++events}`)),
    api_app_id: fc.constant('A0001'),
    event: field(
      fc.record(
        {
          type: field(fc.constantFrom(...eventTypes)),
          user: field(fc.oneof(userId, user)),
          channel: field(fc.oneof(channelId, channel)),
          tab: field(fc.constantFrom('home', 'messages')),
          item: field(fc.record({ channel: field(channelId) })),
          tokens: field(fc.record({ bot: field(fc.array(fc.string(), { maxLength: 2 })) })),
        },
        { requiredKeys: [] },
      ),
    ),
    authorizations: field(fc.constant([{ team_id: TEAM_ID, user_id: 'UBOT', is_bot: true }])),
  })
  .map((p) => ({ kind: 'event_callback', body: JSON.stringify(clean(p)), type: JSON_TYPE }));

const junk: fc.Arbitrary<Request> = fc.oneof(
  fc
    .jsonValue({ maxDepth: 2 })
    .map((v) => ({ kind: 'junk json', body: JSON.stringify(v) ?? 'null', type: JSON_TYPE })),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((v) => ({ kind: 'junk payload', body: form({ payload: JSON.stringify(v) ?? 'null' }), type: FORM })),
  fc.string({ maxLength: 40 }).map((s) => ({
    kind: 'junk text',
    body: s,
    type: fc.sample(fc.constantFrom(FORM, JSON_TYPE), 1)[0] as string,
  })),
);

const anyRequest = fc.oneof(
  { weight: 3, arbitrary: slashCommand },
  { weight: 3, arbitrary: blockActions },
  { weight: 3, arbitrary: viewSubmission },
  { weight: 1, arbitrary: shortcut },
  { weight: 1, arbitrary: suggestion },
  { weight: 2, arbitrary: eventCallback },
  { weight: 1, arbitrary: junk },
);

describe(`${RUNS} fuzzed, validly signed requests`, () => {
  it('are all answered, none with a 5xx, none after 3 s, and the app lives on', async () => {
    const requests = fc.sample(anyRequest, { numRuns: RUNS, seed: SEED });
    const results: (Timed & Request)[] = [];
    for (let i = 0; i < requests.length; i += AT_ONCE) {
      const batch = requests.slice(i, i + AT_ONCE);
      results.push(
        ...(await Promise.all(
          batch.map(async (r) => ({ ...r, ...(await postSigned(t.url, r.body, r.type)) })),
        )),
      );
    }
    await t.settled();
    const statuses: Record<string, number> = {};
    for (const r of results) statuses[`${r.kind} ${r.status}`] = (statuses[`${r.kind} ${r.status}`] ?? 0) + 1;
    const unanswered = results.filter((r) => r.status === 0);
    const serverErrors = results.filter((r) => r.status >= 500);
    const slow = results.filter((r) => r.ms > 3_000);
    console.log(
      JSON.stringify({
        runs: RUNS,
        seed: SEED,
        unanswered: unanswered.length,
        serverErrors: serverErrors.length,
        slow: slow.length,
        statuses,
      }),
    );
    const sample = (list: typeof results) =>
      list
        .slice(0, 3)
        .map((r) => ({ kind: r.kind, status: r.status, ms: Math.round(r.ms), body: r.body.slice(0, 300) }));
    expect(sample(unanswered)).toEqual([]);
    expect(sample(serverErrors)).toEqual([]);
    expect(sample(slow)).toEqual([]);

    // Still alive: a person's command is answered as before.
    const help = await t.slack.command(PEOPLE.fay, '/concert', 'help');
    expect(help.body.text).toContain('/concert setup');
  }, 900_000); // Minutes on a busy two-core machine: a guard against a hang, not a time limit.
});
