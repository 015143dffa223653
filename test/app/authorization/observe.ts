import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.js';
import type { TestApp } from '../../harness/app.js';
import type { Answer } from '../../harness/driver.js';
import type { Call } from '../../harness/fake-slack.js';

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads are arbitrary JSON
type Json = any;

/**
 * Tables whose changes are not effects of a person's action: the people cache (any request may refresh
 * someone's name and time zone), the record of deliveries already handled, and the scheduler's own runs.
 */
const NOT_EFFECTS = new Set(['people', 'slack_deliveries', 'scheduler_runs']);

/** Every table of the app, each as its row count and a digest of its rows. */
async function snapshot(db: Db): Promise<Map<string, string>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  const result = new Map<string, string>();
  for (const { table_name: table } of tables.rows) {
    if (NOT_EFFECTS.has(table) || table.startsWith('kysely_')) continue;
    const row = await sql<{ n: string; digest: string | null }>`
      select count(*)::text as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest
      from ${sql.table(table)} t`.execute(db);
    result.set(table, `${row.rows[0]?.n}:${row.rows[0]?.digest}`);
  }
  return result;
}

/** What one request by `actor` did: the tables it changed, what it showed or sent, and what it told the actor. */
export interface Seen {
  tables: string[];
  /** Views opened, pushed, updated or published, and modals pushed or replaced through the ack. */
  views: Json[];
  /** Messages posted, updated or uploaded anywhere but to the actor alone. */
  sends: Call[];
  /** What only the actor saw: ephemerals, DMs from the app, field errors, ack texts. */
  answers: string[];
}

export function hasEffect(seen: Seen): boolean {
  return seen.tables.length > 0 || seen.views.length > 0 || seen.sends.length > 0;
}

const VIEW_METHODS = new Set(['views.open', 'views.push', 'views.update', 'views.publish']);
const SEND_METHODS = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.delete',
  'chat.postEphemeral',
  'chat.scheduleMessage',
  'files.completeUploadExternal',
]);

function toActorAlone(t: TestApp, actor: string, call: Call): boolean {
  const { method, args } = call;
  if (method === 'response_url') return args.response_type !== 'in_channel';
  // Their own App Home is what the actor sees of Concert, not something done to anyone.
  if (method === 'views.publish') return args.user_id === actor;
  if (method === 'chat.postEphemeral') return args.user === actor;
  if (method === 'chat.postMessage')
    return args.channel === actor || args.channel === t.fake.dmChannelOf(actor);
  return false;
}

/** Runs `act` and reports what it did, once every handler it started has finished. */
export async function observe(
  t: TestApp,
  actor: string,
  act: () => Promise<Answer | undefined>,
): Promise<Seen> {
  const before = await snapshot(t.db);
  const from = t.fake.calls.length;
  const answer = await act();
  await t.settled();
  const after = await snapshot(t.db);
  const calls = t.fake.calls.slice(from);
  const seen: Seen = {
    tables: [...after.keys()].filter((k) => after.get(k) !== before.get(k)),
    views: calls
      .filter((c) => VIEW_METHODS.has(c.method) && !toActorAlone(t, actor, c))
      .map((c) => c.args.view),
    sends: calls.filter(
      (c) => (SEND_METHODS.has(c.method) || c.method === 'response_url') && !toActorAlone(t, actor, c),
    ),
    answers: calls
      .filter((c) => toActorAlone(t, actor, c))
      .map((c) => `${c.args.text ?? ''} ${JSON.stringify(c.args.blocks ?? c.args.view ?? '')}`),
  };
  const body = answer?.body;
  if (body && typeof body === 'object') {
    if (body.response_action === 'update' || body.response_action === 'push') seen.views.push(body.view);
    if (body.response_action === 'errors') seen.answers.push(JSON.stringify(body.errors));
    if (typeof body.text === 'string') seen.answers.push(`${body.text} ${JSON.stringify(body.blocks ?? '')}`);
  }
  return seen;
}
