import { sql } from 'kysely';
import type { Db } from './database.js';
import type { NewOutboxRow, OutboxRow } from './schema.js';
import { ofInstalledWorkspace } from './workspaces.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text as Postgres and Slack take it: half an emoji left by a cut elsewhere (a lone UTF-16 surrogate) is
 * invalid in `jsonb` and in Slack's JSON, and would fail the whole insert; it becomes U+FFFD instead.
 */
function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A message to queue, due now; with `kind`, `key` names it, so the same message is queued once. */
export function messageRow(
  teamId: string,
  kind: string,
  key: string,
  channelId: string,
  message: { text: string; blocks: readonly unknown[] },
  now: Date,
): NewOutboxRow {
  return {
    team_id: teamId,
    kind,
    dedupe_key: key,
    channel_id: channelId,
    text: wellFormed(message.text),
    blocks: JSON.stringify(message.blocks, (_key, value) =>
      typeof value === 'string' ? wellFormed(value) : value,
    ),
    next_attempt_at: now,
    created_at: now,
  };
}

/** Queues a message; a second row with the same (team, kind, dedupe key) is ignored. Returns the new row. */
export async function enqueue(db: Db, row: NewOutboxRow): Promise<OutboxRow | undefined> {
  return db
    .insertInto('outbox')
    .values(row)
    .onConflict((oc) => oc.columns(['team_id', 'kind', 'dedupe_key']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * Takes up to `limit` rows that are due (or whose sender's lease ran out) for this sender, skipping rows
 * another instance is taking at the same moment. The lease covers a crash between claiming and sending.
 *
 * Messages to one conversation go in the order they were queued (a thread's outcome before the failure
 * reported under it, a tally's update before the final message): a row is taken only when every earlier
 * unsent row to its channel is taken with it, so no other instance, and no retry waiting its turn, can be
 * overtaken. Rows behind one being sent or waiting for its retry are not even candidates, so however many
 * wait they take no place from other conversations' rows. An earlier row queued for a later moment and never
 * tried is not ahead of anything. Returned in that order (by id). With `ids`, the rows due to those rows'
 * conversations are taken too.
 */
export async function claimDue(
  db: Db,
  now: Date,
  leaseUntil: Date,
  limit: number,
  ids?: readonly number[],
): Promise<OutboxRow[]> {
  return db.transaction().execute(async (tx) => {
    // The conversations held back, each by its first row that is being sent (its lease running) or waits
    // for its retry: rows after it are left out here, so however many wait, they take no place from other
    // conversations' rows. Read once, as a set (a hash anti-join), not probed row by row: the embedded
    // database has no autovacuum, so its plans are made on statistics older than a burst of queued rows, and
    // a probe per row then read every row of the workspace each time (3 s to claim 50 of 1,000 queued DMs).
    let due = tx
      .with(
        (cte) => cte('held').materialized(),
        (db) =>
          db
            .selectFrom('outbox')
            .select(['team_id', 'channel_id'])
            .select((eb) => eb.fn.min('id').as('first_id'))
            .where('status', 'in', ['pending', 'sending'])
            .where((eb) =>
              eb.or([
                eb.and([eb('status', '=', 'sending'), eb('lease_until', '>=', now)]),
                eb.and([
                  eb('status', '=', 'pending'),
                  eb('attempts', '>', 0),
                  eb('next_attempt_at', '>', now),
                ]),
              ]),
            )
            .groupBy(['team_id', 'channel_id']),
      )
      .selectFrom('outbox')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('held')
              .select('held.first_id')
              .whereRef('held.team_id', '=', 'outbox.team_id')
              .whereRef('held.channel_id', '=', 'outbox.channel_id')
              .whereRef('held.first_id', '<', 'outbox.id'),
          ),
        ),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .forUpdate(['outbox'])
      .skipLocked();
    // The rows asked for, with whatever else is due to their conversations, so none is held behind an
    // earlier row that no claim takes.
    if (ids)
      due = due.where((eb) =>
        eb(
          eb.refTuple('team_id', 'channel_id'),
          'in',
          eb
            .selectFrom('outbox as asked')
            .select(['asked.team_id', 'asked.channel_id'])
            .where('asked.id', 'in', ids.length > 0 ? ids : [-1])
            .$asTuple('team_id', 'channel_id'),
        ),
      );
    // A workspace that uninstalled Concert gets nothing more, whatever was queued for it.
    due = due.where(ofInstalledWorkspace('outbox'));
    const rows = await due.execute();
    if (rows.length === 0) return [];
    const candidates = rows.map((r) => r.id);
    // An earlier unsent row to the same channel that this claim does not hold (another instance's, or one
    // waiting for its retry) holds back the rows after it. A row queued for later and never tried (a message
    // paced to a later moment) is not ahead of those due now; one that was tried and waits for its retry, or
    // another claim's, is. The unsent rows are read once, as a set, for the reason above.
    const behind = await tx
      .with(
        (cte) => cte('earlier').materialized(),
        (db) =>
          db
            .selectFrom('outbox')
            .select(['team_id', 'channel_id'])
            .select((eb) => eb.fn.min('id').as('first_id'))
            .where('status', 'in', ['pending', 'sending'])
            .where('id', 'not in', candidates)
            .where((eb) =>
              eb.or([eb('status', '=', 'sending'), eb('next_attempt_at', '<=', now), eb('attempts', '>', 0)]),
            )
            .groupBy(['team_id', 'channel_id']),
      )
      .with(
        (cte) => cte('later').materialized(),
        (db) => db.selectFrom('outbox').select(['id', 'team_id', 'channel_id']).where('id', 'in', candidates),
      )
      .selectFrom('later')
      .innerJoin('earlier', (join) =>
        join
          .onRef('earlier.team_id', '=', 'later.team_id')
          .onRef('earlier.channel_id', '=', 'later.channel_id'),
      )
      .select('later.id')
      .whereRef('earlier.first_id', '<', 'later.id')
      .execute();
    const held = new Set(behind.map((r) => r.id));
    const taken = candidates.filter((id) => !held.has(id));
    if (taken.length === 0) return [];
    const claimed = await tx
      .updateTable('outbox')
      .set({ status: 'sending', lease_until: leaseUntil, attempts: sql`attempts + 1` })
      .where('id', 'in', taken)
      .returningAll()
      .execute();
    return claimed.sort((a, b) => a.id - b.id);
  });
}

export async function markSent(db: Db, id: number, at: Date, message: { channel: string; ts: string }) {
  await db
    .updateTable('outbox')
    .set({
      status: 'sent',
      sent_at: at,
      lease_until: null,
      message_channel: message.channel,
      message_ts: message.ts,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Records a try that did not send; `confirmed` when Slack's answer proves nothing was posted by any try so far
 * (the row is then no longer unconfirmed), left out when the try's outcome is unknown.
 */
export async function markFailed(
  db: Db,
  id: number,
  error: string,
  retryAt: Date | undefined,
  confirmed = false,
) {
  await db
    .updateTable('outbox')
    .set({
      ...(retryAt
        ? { status: 'pending', next_attempt_at: retryAt, lease_until: null, last_error: error }
        : { status: 'failed', lease_until: null, last_error: error }),
      ...(confirmed ? { unconfirmed_since: null } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Just before a row is sent: renews its lease from `at` and, for a post, records that a try is under way whose
 * outcome is not yet known. Only the claim that took the row (`attempts` as claimed) may do so; returns false
 * when another instance has claimed it since (this one's lease ran out), and the row must not be sent here.
 */
export async function startTry(
  db: Db,
  row: Pick<OutboxRow, 'id' | 'attempts'>,
  at: Date,
  leaseUntil: Date,
  post: boolean,
): Promise<boolean> {
  const result = await db
    .updateTable('outbox')
    .set({
      lease_until: leaseUntil,
      ...(post ? { unconfirmed_since: sql<Date>`coalesce(unconfirmed_since, ${at})` } : {}),
    })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Renews the leases of rows this claim still holds (`attempts` as claimed, still sending) until `leaseUntil`:
 * while a run waits for its turn in Slack's rates, no other instance takes its rows.
 */
export async function renewLeases(
  db: Db,
  rows: readonly Pick<OutboxRow, 'id' | 'attempts'>[],
  leaseUntil: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .updateTable('outbox')
    .set({ lease_until: leaseUntil })
    .where('status', '=', 'sending')
    .where((eb) =>
      eb.or(rows.map((row) => eb.and([eb('id', '=', row.id), eb('attempts', '=', row.attempts)]))),
    )
    .execute();
}

/**
 * Puts a claimed row back, untried, due at `at` (Slack asked Concert to wait before sending more): the claim
 * does not count as an attempt.
 */
export async function release(db: Db, row: Pick<OutboxRow, 'id' | 'attempts'>, at: Date) {
  await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: at, lease_until: null, attempts: sql`attempts - 1` })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .where('attempts', '=', row.attempts)
    .execute();
}

/** Messages already in people's hands about a step, to update when the step changes. */
export async function sentMessagesAbout(db: Db, teamId: string, stepId: number): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('action_step_id', '=', stepId)
    .where('status', '=', 'sent')
    .where('message_ts', 'is not', null)
    .execute();
}

/** A queued message that is no longer true (its step closed or moved) and will not be sent. */
export async function markCancelled(db: Db, id: number) {
  await db
    .updateTable('outbox')
    .set({ status: 'cancelled', lease_until: null })
    .where('id', '=', id)
    .execute();
}

/** The message a queued row became, once sent: to edit it later. */
export async function findSent(
  db: Db,
  teamId: string,
  kind: string,
  dedupeKey: string,
): Promise<OutboxRow | undefined> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('kind', '=', kind)
    .where('dedupe_key', '=', dedupeKey)
    .where('status', '=', 'sent')
    .where('message_ts', 'is not', null)
    .executeTakeFirst();
}

/** Whether Concert recorded sending this message (any kind): a message it did not is a copy of one it did. */
export async function isRecordedMessage(
  db: Db,
  teamId: string,
  channel: string,
  ts: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('id')
    .where('team_id', '=', teamId)
    .where('message_channel', '=', channel)
    .where('message_ts', '=', ts)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a row with this key was ever queued, sent or not. */
export async function isQueued(db: Db, teamId: string, kind: string, dedupeKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('outbox')
    .select('id')
    .where('team_id', '=', teamId)
    .where('kind', '=', kind)
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every (kind, key) already queued about these steps, as `kind/key`: what planning need not queue again. */
export async function queuedKeysAbout(
  db: Db,
  teamId: string,
  stepIds: readonly number[],
): Promise<Set<string>> {
  if (stepIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', 'dedupe_key'])
    .where('team_id', '=', teamId)
    .where('action_step_id', 'in', stepIds)
    .execute();
  return new Set(rows.map((r) => `${r.kind}/${r.dedupe_key}`));
}

/** Slack's answers that a channel cannot take a message, as recorded in `last_error`. */
export const CHANNEL_ERRORS = ['is_archived', 'not_in_channel', 'channel_not_found', 'channel_unreachable'];

/**
 * Queues again, due now, the messages to a channel that failed because it could not be reached and were
 * made since `since`: once the channel is back they still go (each still checked as wanted when sent).
 */
export async function requeueFailedFor(
  db: Db,
  teamId: string,
  channelId: string,
  since: Date,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'pending', next_attempt_at: now, attempts: 0, lease_until: null })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', channelId)
    .where('status', '=', 'failed')
    .where('last_error', 'in', CHANNEL_ERRORS)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Stops whatever is still queued for a workspace that uninstalled Concert: nothing of it is retried. */
export async function cancelQueuedFor(db: Db, teamId: string, reason: string): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'cancelled', lease_until: null, last_error: reason })
    .where('team_id', '=', teamId)
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Stops the direct messages still queued to someone (deactivated): they would reach no one. */
export async function cancelQueuedTo(
  db: Db,
  teamId: string,
  userId: string,
  reason: string,
): Promise<number> {
  const result = await db
    .updateTable('outbox')
    .set({ status: 'cancelled', lease_until: null, last_error: reason })
    .where('team_id', '=', teamId)
    .where('channel_id', '=', userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * When the outbox next has something to claim: the earliest time a pending row is due or a claimed row's lease
 * runs out; undefined when nothing is queued. (A due row held behind an earlier one in its conversation counts
 * as due: the caller looks again after a while, not at once.)
 */
export async function nextDueAt(db: Db): Promise<Date | undefined> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) =>
      eb.fn
        .min(
          eb
            .case()
            .when('status', '=', 'pending')
            .then(eb.ref('next_attempt_at'))
            .else(eb.ref('lease_until'))
            .end(),
        )
        .as('at'),
    )
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirst();
  return row?.at ? new Date(row.at as unknown as string | Date) : undefined;
}
