import { listChannelProblems } from '../db/channel-problems.js';
import type { Db } from '../db/database.js';
import {
  claimDue,
  markCancelled,
  markFailed,
  markSent,
  release,
  renewLeases,
  startTry,
} from '../db/outbox.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { channelProblemOf, channelUnreachable, isChannel } from './channel-reach.js';
import { withUploadedCharts } from './chart-files.js';
import { isTokenGone, workspaceUninstalled } from './installation.js';
import { declaredKind } from './outgoing.js';

/** How messages leave: implemented over Slack's Web API in slack/, and by tests' fakes where needed. */
export interface MessageSender {
  /** Posts a message; `key` (the outbox row's) goes with it as message metadata, to find it again. */
  post(
    channel: string,
    text: string,
    blocks: unknown[] | null,
    threadTs?: string,
    key?: string,
  ): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, text: string, blocks: unknown[] | null): Promise<void>;
  /**
   * Uploads a file without sharing it anywhere, to be shown in a message's image block; returns its Slack
   * file id. Absent: a chart's image is left out of the message (its text line stays).
   */
  upload?(file: { filename: string; title: string; content: Uint8Array }): Promise<string>;
  /**
   * The message posted with `key` in the conversation (or the thread) since `since`, if Slack has one. Throws
   * a SendError when Slack cannot be asked; without it a sender cannot tell, and a post in doubt goes again.
   */
  find?(
    channel: string,
    key: string,
    since: Date,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string } | undefined>;
}

/** One sender for every workspace, or each workspace's own (its own token: OAuth mode). */
export type Senders = MessageSender | ((teamId: string) => MessageSender);

function senderOf(senders: Senders, teamId: string): MessageSender {
  return typeof senders === 'function' ? senders(teamId) : senders;
}

/**
 * A send that failed; `permanent` when trying again cannot help (no such user, invalid blocks); `ambiguous`
 * when Slack may have taken it all the same (a timeout, a reset, a 5xx); `retryAfterMs` when Slack said how
 * long to wait (a 429's Retry-After).
 */
export class SendError extends Error {
  readonly ambiguous: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(
    readonly code: string,
    readonly permanent: boolean,
    options: { ambiguous?: boolean; retryAfterMs?: number } = {},
  ) {
    super(code);
    this.name = 'SendError';
    this.ambiguous = options.ambiguous ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** What a permanent failure of a message of this kind leaves undone, as its kind declares. */
function failureOf(kind: string): string {
  return declaredKind(kind)?.failure.means ?? 'a message of a kind no module declares was not sent';
}

/** Decides, just before sending, whether a queued message still says something true. */
export type StillWanted = (row: OutboxRow, now: Date) => Promise<boolean>;

/**
 * How long a claimed row is this instance's alone. Each row's lease is renewed just before it is sent, and
 * one send (a look for it in the conversation, the post, a look after an unclear answer) takes at most
 * `MAX_SEND_MS` in process (slack/web-sender.ts: no retries inside the client, a timeout per call), well
 * inside a quarter of the lease: no other instance can claim a row while its send is under way.
 */
export const LEASE_MS = 15 * 60_000;
/** How often a run renews the leases of the rows it still holds. */
const RENEW_EVERY_MS = LEASE_MS / 5;
/** Tries before a message is given up: the delays below span about two hours, past any outage Slack has had. */
const MAX_ATTEMPTS = 13;

export interface DeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
  /** Claimed here but taken by another instance after this one's lease ran out, or put back untried. */
  skipped: number;
}

/**
 * Time until the next try: 2, 4, 8, 16 and 32 s (most failures are a moment's: a 5xx, a reset, a 429's
 * second, and a row that meets three of them at 5% each should not wait a minute), then 1, 2, 4 … minutes,
 * up to an hour; thirteen tries span about two hours.
 */
export function retryDelayMs(attempts: number): number {
  if (attempts <= 5) return 2_000 * 2 ** (Math.max(1, attempts) - 1);
  return Math.min(60, 2 ** (attempts - 6)) * 60_000;
}

/** Slack's answers to a look for a post that mean Concert may not read the conversation (scopes missing). */
const CANNOT_LOOK = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'not_in_channel',
  'channel_not_found',
]);

/** What Slack's clock may differ from Concert's by, when looking for a post from the time it was tried. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The outbox key a post carries in its metadata: the row's id, unique across every workspace. */
export function outboxKey(row: Pick<OutboxRow, 'id'>): string {
  return String(row.id);
}

/** The message this row already became in Slack, if a try whose answer was lost posted it. */
async function findPosted(sender: MessageSender, row: OutboxRow, since: Date) {
  if (!sender.find) return undefined;
  return sender.find(
    row.channel_id,
    outboxKey(row),
    new Date(since.getTime() - CLOCK_SKEW_MS),
    row.thread_ts ?? undefined,
  );
}

/**
 * Sends what is due in the outbox: each row is claimed (so no other instance sends it), its lease renewed
 * just before it is sent, sent, then marked sent. A failed send stays queued and is tried again later (after
 * Slack's Retry-After, when it gave one); a crash after the claim is covered by the lease running out. A post
 * whose earlier try went unanswered is first looked for in Slack by its outbox key, so it is never posted
 * twice. Each row fails alone: whatever goes wrong with one is recorded on it (`last_error`) and
 * the others are sent. A channel Slack says Concert cannot post in is recorded, the backbone told once, and
 * later messages to it wait for it to be back; a token Slack no longer takes stops the workspace's sends.
 *
 * Each conversation's rows go one after another, in the order queued; with `concurrency` above 1 (the
 * continuous sender's), up to that many conversations send side by side, each paced by the sender.
 */
export async function deliverDue(
  db: Db,
  sender: Senders,
  stillWanted: StillWanted,
  now: Date,
  log: Logger,
  options: { ids?: readonly number[]; limit?: number; concurrency?: number } = {},
): Promise<DeliveryResult> {
  const rows = await claimDue(db, now, new Date(now.getTime() + LEASE_MS), options.limit ?? 200, options.ids);
  return sendClaimed(db, sender, stillWanted, rows, now, log, options.concurrency ?? 1);
}

/** Sends rows this instance has just claimed (claimDue), as deliverDue does. */
export async function sendClaimed(
  db: Db,
  sender: Senders,
  stillWanted: StillWanted,
  rows: readonly OutboxRow[],
  now: Date,
  log: Logger,
  concurrency = 1,
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0, cancelled: 0, skipped: 0 };
  if (rows.length === 0) return result;
  // The run's time moves on while it sends: each row's lease is renewed from the time its turn comes.
  const started = performance.now();
  const batch: Batch = {
    at: () => new Date(now.getTime() + (performance.now() - started)),
    unreachable: new Set((await listChannelProblems(db)).keys()),
    stopped: new Set<string>(),
    behind: new Set<string>(),
  };
  const notices: number[] = [];
  const sendOne = async (row: OutboxRow) => {
    try {
      const outcome = await deliverOne(db, senderOf(sender, row.team_id), stillWanted, row, now, batch);
      if (outcome.result === 'retrying' || outcome.result === 'skipped')
        batch.behind.add(`${row.team_id}/${row.channel_id}`);
      result[outcome.result]++;
      if (outcome.notice !== undefined) notices.push(outcome.notice);
      if (outcome.unchecked)
        log.warn(
          { outboxId: row.id, kind: row.kind, teamId: row.team_id, code: outcome.unchecked },
          'a message whose first try went unanswered was posted again without looking for it in Slack',
        );
      if (outcome.code)
        log.warn(
          {
            outboxId: row.id,
            kind: row.kind,
            teamId: row.team_id,
            code: outcome.code,
            result: outcome.result,
            // For good: what its kind's declaration says that leaves undone (src/messages/).
            ...(outcome.result === 'failed' ? { means: failureOf(row.kind) } : {}),
          },
          'a queued message was not sent',
        );
    } catch (error) {
      // Not Slack's answer: the database or a check refused this row. It fails alone, with the reason.
      const reason = String((error as Error)?.message ?? error).slice(0, 500);
      log.error(
        { err: error, outboxId: row.id, kind: row.kind, teamId: row.team_id },
        'a queued message failed',
      );
      result.failed++;
      await markFailed(db, row.id, `error: ${reason}`, undefined).catch((e: unknown) =>
        log.error({ err: e, outboxId: row.id }, 'could not record a failed message'),
      );
    }
  };
  // While the run lasts (each row waiting its turn in Slack's rates), the rows not yet done keep their lease.
  const done = new Set<number>();
  const renewal = setInterval(() => {
    const held = rows.filter((row) => !done.has(row.id));
    renewLeases(db, held, new Date(batch.at().getTime() + LEASE_MS)).catch((error: unknown) =>
      log.warn({ err: error }, 'could not renew the leases of queued messages being sent'),
    );
  }, RENEW_EVERY_MS);
  renewal.unref();
  const sendRow = async (row: OutboxRow) => {
    await sendOne(row);
    done.add(row.id);
  };
  try {
    if (concurrency <= 1) for (const row of rows) await sendRow(row);
    else {
      // One lane per conversation, its rows in the order claimed (by id); lanes run side by side.
      const lanes = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const key = `${row.team_id}/${row.channel_id}`;
        lanes.set(key, [...(lanes.get(key) ?? []), row]);
      }
      const waiting = [...lanes.values()];
      const lane = async () => {
        for (let next = waiting.shift(); next; next = waiting.shift())
          for (const row of next) await sendRow(row);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, waiting.length) }, lane));
    }
  } finally {
    clearInterval(renewal);
  }
  if (notices.length > 0) {
    // What the backbone must act on goes now, not at the next tick.
    const told = await deliverDue(db, sender, stillWanted, now, log, { ids: notices });
    for (const key of Object.keys(result) as (keyof DeliveryResult)[]) result[key] += told[key];
  }
  return result;
}

/** What one run of deliverDue learns as it goes, for the rows after. */
interface Batch {
  /** The run's `now`, moved on by the time it has taken so far. */
  at: () => Date;
  /** Channels Slack said Concert cannot post in, as `team/channel`. */
  unreachable: Set<string>;
  /** Workspaces whose token Slack no longer takes. */
  stopped: Set<string>;
  /**
   * Conversations (`team/channel`) where a row did not go and stays queued (a 429 among them: Slack's
   * Retry-After holds that conversation, not the workspace's others): the rows after it in this run wait
   * behind it, untried, so messages to one conversation keep the order they were queued in.
   */
  behind: Set<string>;
}

interface Outcome {
  result: keyof DeliveryResult;
  /** Slack's (or Concert's) reason, when the message did not go. */
  code?: string;
  /** A notice queued about the failure, to send at once. */
  notice?: number;
  /** Posted again without looking for an earlier copy, and Slack's reason it could not look. */
  unchecked?: string;
}

async function deliverOne(
  db: Db,
  sender: MessageSender,
  stillWanted: StillWanted,
  row: OutboxRow,
  now: Date,
  batch: Batch,
): Promise<Outcome> {
  if (batch.stopped.has(row.team_id)) {
    await markCancelled(db, row.id);
    return { result: 'cancelled', code: 'app_uninstalled' };
  }
  // A message no longer wanted is cancelled even behind an earlier one: nothing is sent, so no order is broken.
  if (!(await stillWanted(row, now))) {
    await markCancelled(db, row.id);
    return { result: 'cancelled' };
  }
  if (batch.behind.has(`${row.team_id}/${row.channel_id}`)) {
    await release(db, row, now);
    return { result: 'skipped' };
  }
  if (batch.unreachable.has(`${row.team_id}/${row.channel_id}`)) {
    // Known already: no call to Slack, and the row waits to be queued again when the channel is back.
    await markFailed(db, row.id, 'channel_unreachable', undefined);
    return { result: 'failed', code: 'channel_unreachable' };
  }
  const at = batch.at();
  const post = !row.update_ts;
  if (!(await startTry(db, row, at, new Date(at.getTime() + LEASE_MS), post))) return { result: 'skipped' };
  // A post whose earlier try was never answered may be in Slack already: it is looked for before posting.
  const doubt = post ? row.unconfirmed_since : null;
  let looked = false;
  let unchecked: string | undefined;
  try {
    if (doubt && sender.find) {
      const found = await findPosted(sender, row, doubt).catch((error: unknown) => {
        // Installed before Concert asked to read its conversations: it cannot look, and the post goes.
        if (error instanceof SendError && CANNOT_LOOK.has(error.code)) unchecked = error.code;
        else throw error;
        return undefined;
      });
      looked = unchecked === undefined;
      if (found) {
        await markSent(db, row.id, now, found);
        return { result: 'sent' };
      }
    }
    // A chart's image shows its Slack file, uploaded once (chart-files.ts).
    const blocks = await withUploadedCharts(db, sender, row.team_id, row.blocks, at);
    if (row.update_ts) {
      await sender.update(row.channel_id, row.update_ts, row.text, blocks);
      await markSent(db, row.id, now, { channel: row.channel_id, ts: row.update_ts });
      return { result: 'sent' };
    }
    const message = await sender.post(
      row.channel_id,
      row.text,
      blocks,
      row.thread_ts ?? undefined,
      outboxKey(row),
    );
    await markSent(db, row.id, now, message);
    return { result: 'sent', ...(unchecked ? { unchecked } : {}) };
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    if (post && error.ambiguous) {
      // Slack may have posted it: if it did, it is found now and recorded, and nothing goes twice.
      const found = await findPosted(sender, row, doubt ?? at).catch(() => undefined);
      if (found) {
        await markSent(db, row.id, now, found);
        return { result: 'sent' };
      }
    }
    // Slack answered, so this try posted nothing; with no earlier try in doubt (or one looked for), none did.
    const confirmed = !error.ambiguous && (!doubt || looked);
    return failed(db, row, error, now, batch, confirmed);
  }
}

async function failed(
  db: Db,
  row: OutboxRow,
  error: SendError,
  now: Date,
  batch: Batch,
  confirmed: boolean,
): Promise<Outcome> {
  const code = error.code;
  if (isTokenGone(code)) {
    batch.stopped.add(row.team_id);
    await markFailed(db, row.id, code, undefined, confirmed);
    await workspaceUninstalled(db, row.team_id, code, now);
    return { result: 'failed', code };
  }
  const problem = isChannel(row.channel_id) ? channelProblemOf(code) : undefined;
  if (problem) {
    await markFailed(db, row.id, code, undefined, confirmed);
    batch.unreachable.add(`${row.team_id}/${row.channel_id}`);
    const notice = await channelUnreachable(db, row.team_id, row.channel_id, problem, now);
    return { result: 'failed', code, ...(notice !== undefined ? { notice } : {}) };
  }
  const retry = !error.permanent && row.attempts < MAX_ATTEMPTS;
  let retryAt = new Date(now.getTime() + retryDelayMs(row.attempts));
  if (error.retryAfterMs !== undefined) {
    // Slack said when to come back: this row, and its conversation's after it, wait until then.
    const after = new Date(batch.at().getTime() + error.retryAfterMs);
    if (after > retryAt) retryAt = after;
  }
  await markFailed(db, row.id, code, retry ? retryAt : undefined, confirmed);
  return { result: retry ? 'retrying' : 'failed', code };
}
