import { type KyselyPlugin, SelectQueryNode, sql, TableNode } from 'kysely';
import { type Answer, AppRequests, slackSignature } from '../../src/sandbox/emulator/app-requests.js';
import { SIGNING_SECRET, type TestApp } from './app.js';

// biome-ignore lint/suspicious/noExplicitAny: interaction payloads are arbitrary JSON
type Json = any;

/** One interaction as Slack signed and sent it: to be sent again, twice at once, or as Slack's retry. */
export interface Captured {
  payload: Json;
}

/**
 * Runs `act` (a click or a submission through the driver) without letting it reach the app, and returns
 * the request it would have sent. Whatever the driver does with the answer sees an empty 200.
 */
export async function capture(t: TestApp, act: () => Promise<unknown>): Promise<Captured> {
  const send = t.slack.send;
  let captured: Captured | undefined;
  t.slack.send = async (body: string) => {
    captured = { payload: JSON.parse(new URLSearchParams(body).get('payload') as string) };
    return { status: 200, body: '', triggerId: '' };
  };
  try {
    await act();
  } finally {
    t.slack.send = send;
  }
  if (!captured) throw new Error('the action sent nothing to the app');
  return captured;
}

/**
 * The same interaction as a second click or submission by the same person on the same surface: Slack
 * gives each its own trigger ID (and a click its own action_ts), and nothing else differs.
 */
export function again(captured: Captured): Captured {
  const payload = structuredClone(captured.payload);
  payload.trigger_id = AppRequests.triggerFor(payload.user.id);
  for (const action of payload.actions ?? []) action.action_ts = `${Date.now() / 1000}`;
  return { payload };
}

/** Signs and posts one interaction to the app as Slack does; `retryNum` marks it as Slack's redelivery. */
export async function deliver(t: TestApp, captured: Captured, retryNum?: number): Promise<Answer> {
  const body = new URLSearchParams({ payload: JSON.stringify(captured.payload) }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(`${t.url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
      ...(retryNum ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_timeout' } : {}),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? '' : JSON.parse(text), triggerId: '' };
}

/** What Slack shows people: posts, ephemerals, updates, deletions and App Home, by the app's own record. */
const SHOWN = new Set([
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'chat.delete',
  'chat.scheduleMessage',
  'views.publish',
  'files.uploadV2',
  'files.completeUploadExternal',
  'response_url',
]);

/** Bookkeeping of deliveries and interactions: rows that exist to notice a repeat, not effects. */
const BOOKKEEPING = new Set([
  'slack_deliveries',
  'interaction_effects',
  'scheduler_runs',
  'kysely_migration',
  'kysely_migration_lock',
]);

/**
 * Everything an interaction can change, counted: the rows of every table of the app and the messages
 * shown through the fake Slack (a response_url that only deletes the message it came from shows nothing).
 */
export async function effects(t: TestApp): Promise<Record<string, number>> {
  await t.settled();
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(t.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    if (BOOKKEEPING.has(name)) continue;
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(name)}`.execute(
      t.db,
    );
    counts[`rows:${name}`] = rows[0]?.n ?? 0;
  }
  for (const call of t.fake.calls) {
    if (!SHOWN.has(call.method)) continue;
    if (call.method === 'response_url' && call.args?.delete_original) continue;
    counts[`slack:${call.method}`] = (counts[`slack:${call.method}`] ?? 0) + 1;
  }
  return counts;
}

/** What changed between two counts, by name, leaving out what did not. */
export function change(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) result[key] = delta;
  }
  return result;
}

/**
 * A database plugin that lets the same form's twin take effect in full between this instance's first
 * check that the form was not yet taken (an empty read of `interaction_effects`) and whatever it does
 * next: the one interleaving of two instances that a check before the write cannot see. `twin` runs once;
 * `interleaved()` is its answer, or undefined when the interaction never made that check.
 */
export function twinAfterFirstCheck(twin: () => Promise<Answer>): {
  plugin: KyselyPlugin;
  interleaved(): Promise<Answer> | undefined;
} {
  const checks = new WeakSet<object>();
  let ran: Promise<Answer> | undefined;
  const readsEffects = (node: unknown) =>
    SelectQueryNode.is(node as SelectQueryNode) &&
    (node as SelectQueryNode).from?.froms.some(
      (from) => TableNode.is(from) && from.table.identifier.name === 'interaction_effects',
    );
  return {
    plugin: {
      transformQuery({ node, queryId }) {
        if (!ran && readsEffects(node)) checks.add(queryId);
        return node;
      },
      async transformResult({ queryId, result }) {
        if (!ran && checks.has(queryId) && result.rows.length === 0) {
          ran = twin();
          await ran;
        }
        return result;
      },
    },
    interleaved: () => ran,
  };
}
