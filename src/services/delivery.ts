import type { Db } from '../db/database.js';
import { claimDue, markCancelled, markFailed, markSent } from '../db/outbox.js';
import type { OutboxRow } from '../db/schema.js';
import type { Logger } from '../logger.js';

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
 * lease running out.
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
  for (const row of rows) {
    if (!(await stillWanted(row, now))) {
      await markCancelled(db, row.id);
      result.cancelled++;
      continue;
    }
    try {
      const message = await send(sender, row);
      await markSent(db, row.id, now, message);
      result.sent++;
    } catch (error) {
      const code = error instanceof SendError ? error.code : String((error as Error).message ?? error);
      const permanent = error instanceof SendError && error.permanent;
      const retry = !permanent && row.attempts < MAX_ATTEMPTS;
      await markFailed(
        db,
        row.id,
        code,
        retry ? new Date(now.getTime() + retryDelayMs(row.attempts)) : undefined,
      );
      if (retry) result.retrying++;
      else result.failed++;
      log.warn(
        { outboxId: row.id, kind: row.kind, teamId: row.team_id, code, retry },
        'a queued message was not sent',
      );
    }
  }
  return result;
}
