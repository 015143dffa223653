import { listChannelProblems } from '../db/channel-problems.js';
import type { Db } from '../db/database.js';
import { claimDue, markCancelled, markFailed, markSent } from '../db/outbox.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';
import { channelProblemOf, channelUnreachable, isChannel } from './channel-reach.js';
import { isTokenGone, workspaceUninstalled } from './installation.js';

/** How messages leave: implemented over Slack's Web API in slack/, and by tests' fakes where needed. */
export interface MessageSender {
  post(
    channel: string,
    text: string,
    blocks: unknown[] | null,
    threadTs?: string,
  ): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, text: string, blocks: unknown[] | null): Promise<void>;
}

/** A send that failed; `permanent` when trying again cannot help (no such user, invalid blocks). */
export class SendError extends Error {
  constructor(
    readonly code: string,
    readonly permanent: boolean,
  ) {
    super(code);
    this.name = 'SendError';
  }
}

/** Decides, just before sending, whether a queued message still says something true. */
export type StillWanted = (row: OutboxRow, now: Date) => Promise<boolean>;

const LEASE_MS = 15 * 60_000;
const MAX_ATTEMPTS = 10;

export interface DeliveryResult {
  sent: number;
  retrying: number;
  failed: number;
  cancelled: number;
}

/** Minutes until the next try: 1, 2, 4 … up to an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/** A row is a new message, a reply in a thread, or the new state of a message already posted. */
async function send(sender: MessageSender, row: OutboxRow): Promise<{ channel: string; ts: string }> {
  if (row.update_ts) {
    await sender.update(row.channel_id, row.update_ts, row.text, row.blocks);
    return { channel: row.channel_id, ts: row.update_ts };
  }
  return sender.post(row.channel_id, row.text, row.blocks, row.thread_ts ?? undefined);
}

/**
 * Sends what is due in the outbox: each row is claimed (so no other instance sends it), sent, then marked
 * sent. A failed send stays queued and is tried again later; a crash after the claim is covered by the
 * lease running out. Each row fails alone: whatever goes wrong with one is recorded on it (`last_error`) and
 * the others are sent. A channel Slack says Concert cannot post in is recorded, the backbone told once, and
 * later messages to it wait for it to be back; a token Slack no longer takes stops the workspace's sends.
 */
export async function deliverDue(
  db: Db,
  sender: MessageSender,
  stillWanted: StillWanted,
  now: Date,
  log: Logger,
  options: { ids?: readonly number[]; limit?: number } = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retrying: 0, failed: 0, cancelled: 0 };
  const rows = await claimDue(db, now, new Date(now.getTime() + LEASE_MS), options.limit ?? 200, options.ids);
  if (rows.length === 0) return result;
  const unreachable = new Set((await listChannelProblems(db)).keys());
  const stopped = new Set<string>();
  const notices: number[] = [];
  for (const row of rows) {
    try {
      const outcome = await deliverOne(db, sender, stillWanted, row, now, unreachable, stopped);
      result[outcome.result]++;
      if (outcome.notice !== undefined) notices.push(outcome.notice);
      if (outcome.code)
        log.warn(
          {
            outboxId: row.id,
            kind: row.kind,
            teamId: row.team_id,
            code: outcome.code,
            result: outcome.result,
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
  }
  if (notices.length > 0) {
    // What the backbone must act on goes now, not at the next tick.
    const told = await deliverDue(db, sender, stillWanted, now, log, { ids: notices });
    for (const key of Object.keys(result) as (keyof DeliveryResult)[]) result[key] += told[key];
  }
  return result;
}

interface Outcome {
  result: keyof DeliveryResult;
  /** Slack's (or Concert's) reason, when the message did not go. */
  code?: string;
  /** A notice queued about the failure, to send at once. */
  notice?: number;
}

async function deliverOne(
  db: Db,
  sender: MessageSender,
  stillWanted: StillWanted,
  row: OutboxRow,
  now: Date,
  unreachable: Set<string>,
  stopped: Set<string>,
): Promise<Outcome> {
  if (stopped.has(row.team_id)) {
    await markCancelled(db, row.id);
    return { result: 'cancelled', code: 'app_uninstalled' };
  }
  if (!(await stillWanted(row, now))) {
    await markCancelled(db, row.id);
    return { result: 'cancelled' };
  }
  if (unreachable.has(`${row.team_id}/${row.channel_id}`)) {
    // Known already: no call to Slack, and the row waits to be queued again when the channel is back.
    await markFailed(db, row.id, 'channel_unreachable', undefined);
    return { result: 'failed', code: 'channel_unreachable' };
  }
  try {
    const message = await send(sender, row);
    await markSent(db, row.id, now, message);
    return { result: 'sent' };
  } catch (error) {
    if (!(error instanceof SendError)) throw error;
    const code = error.code;
    if (isTokenGone(code)) {
      stopped.add(row.team_id);
      await markFailed(db, row.id, code, undefined);
      await workspaceUninstalled(db, row.team_id, code, now);
      return { result: 'failed', code };
    }
    const problem = isChannel(row.channel_id) ? channelProblemOf(code) : undefined;
    if (problem) {
      await markFailed(db, row.id, code, undefined);
      unreachable.add(`${row.team_id}/${row.channel_id}`);
      const notice = await channelUnreachable(db, row.team_id, row.channel_id, problem, now);
      return { result: 'failed', code, ...(notice !== undefined ? { notice } : {}) };
    }
    const retry = !error.permanent && row.attempts < MAX_ATTEMPTS;
    await markFailed(
      db,
      row.id,
      code,
      retry ? new Date(now.getTime() + retryDelayMs(row.attempts)) : undefined,
    );
    return { result: retry ? 'retrying' : 'failed', code };
  }
}
