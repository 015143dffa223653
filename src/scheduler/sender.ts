import type { WebClient } from '@slack/web-api';
import type { Clock } from '../clock.js';
import { type Db, isEmbedded, listen, type Unlisten } from '../db/database.js';
import { claimDue, nextDueAt } from '../db/outbox.js';
import { reserveSendSlot } from '../db/send-pace.js';
import type { Logger } from '../logger.js';
import { LEASE_MS, type Senders, sendClaimed } from '../services/delivery.js';
import { queuedMessageStillWanted } from '../services/still-wanted.js';
import type { PostLimits, SharedRate } from '../slack/pacing.js';
import { paceSends, webSender } from '../slack/web-sender.js';
import type { WorkspaceClients } from '../slack/workspace-clients.js';

/** The channel the outbox notifies when a message is queued (migration 20261130030000_continuous_sending). */
export const OUTBOX_CHANNEL = 'concert_outbox';

/** Rows one claim takes, and the most this instance holds at once (claimed, not yet sent). */
const CLAIM_ROWS = 50;
const MOST_HELD = 100;
/** Conversations one claim's rows are sent to side by side (each paced: slack/pacing.ts). */
const CONVERSATIONS_AT_ONCE = 50;
/** The longest the sender sleeps before looking again, whatever it was told (a notification can be lost). */
const LONGEST_SLEEP_MS = 30_000;
/** How soon it looks again when rows are due but none could be claimed (held behind another's, or an error). */
const HELD_SLEEP_MS = 1_000;

export interface SenderDeps {
  db: Db;
  /** The app's client: its token and Web API address; sends go through a client of their own (web-sender). */
  client: WebClient;
  /** The workspace the client's token is for (auth.test's team_id): its rate is shared by every instance. */
  teamId: string;
  /** Each workspace's own client (OAuth mode), instead of `client` for all. */
  clients?: WorkspaceClients;
  clock: Clock;
  log: Logger;
  /** The rates to pace to; Slack's by default. */
  limits?: PostLimits;
}

export interface Sender {
  /** Looks for due messages now (a message was queued in this process). */
  wake(): void;
  /** Stops claiming and resolves once every send under way has ended. */
  stop(): Promise<void>;
}

/**
 * The continuous sender, one per app instance: a queued message leaves as soon as it is due. It wakes when a
 * message is queued (the outbox's NOTIFY, delivered by PostgreSQL to every instance, in process by the
 * embedded database), when a retry comes due, and at least every LONGEST_SLEEP_MS. Each wake claims what is
 * due (claimDue: FOR UPDATE SKIP LOCKED, conversation order, leases) and sends it with deliverDue's rules,
 * conversations side by side, paced to Slack's rates: each conversation's in this process (a conversation's
 * rows are claimed together, so one instance sends to it at a time), the workspace's across every instance
 * through the database (db/send-pace.ts); every send through this client's token, in this process, is paced
 * from the start. The scheduled jobs still send what is due at their ticks: whichever
 * claims a row first sends it, once.
 */
export async function startSender({
  db,
  client,
  teamId,
  clients,
  clock,
  log,
  limits,
}: SenderDeps): Promise<Sender> {
  // The embedded database has one process, whose own pacing is the whole workspace's: no statement per post.
  const shared = (team: string): SharedRate | undefined =>
    isEmbedded(db) ? undefined : (at, limit) => reserveSendSlot(db, team, at, limit);
  let sender: Senders;
  if (clients) {
    clients.paceSends(limits, shared);
    sender = (team: string) => clients.senderFor(team);
  } else {
    paceSends(client, limits, shared(teamId));
    sender = webSender(client);
  }
  const stillWanted = queuedMessageStillWanted(db);
  const runs = new Set<Promise<void>>();
  let held = 0;
  let stopped = false;
  let woken = false;
  let rouse: (() => void) | undefined;

  const wake = () => {
    woken = true;
    rouse?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || stopped) return resolve();
      const timer = setTimeout(() => {
        rouse = undefined;
        resolve();
      }, ms);
      rouse = () => {
        clearTimeout(timer);
        rouse = undefined;
        resolve();
      };
    });

  /** Claims what is due, up to what this instance may hold; returns how many rows it took. */
  const claim = async (): Promise<number> => {
    const now = clock();
    const rows = await claimDue(
      db,
      now,
      new Date(now.getTime() + LEASE_MS),
      Math.min(CLAIM_ROWS, MOST_HELD - held),
    );
    if (rows.length === 0) return 0;
    held += rows.length;
    const run = sendClaimed(db, sender, stillWanted, rows, now, log, CONVERSATIONS_AT_ONCE)
      .then(
        (result) => log.debug({ ...result }, 'sent queued messages'),
        (error: unknown) => log.error({ err: error }, 'sending queued messages failed'),
      )
      .finally(() => {
        held -= rows.length;
        runs.delete(run);
        wake();
      });
    runs.add(run);
    return rows.length;
  };

  /** How long to sleep: until the next retry is due, or a while when rows are due but held. */
  const untilDue = async (): Promise<number> => {
    if (held >= MOST_HELD) return LONGEST_SLEEP_MS;
    const next = await nextDueAt(db);
    if (!next) return LONGEST_SLEEP_MS;
    return Math.min(LONGEST_SLEEP_MS, Math.max(HELD_SLEEP_MS, next.getTime() - clock().getTime()));
  };

  const loop = async () => {
    while (!stopped) {
      woken = false;
      try {
        if (held < MOST_HELD && (await claim()) > 0) continue;
        await sleep(await untilDue());
      } catch (error) {
        log.error({ err: error }, 'the sender could not read the outbox; it looks again shortly');
        await sleep(HELD_SLEEP_MS);
      }
    }
  };

  let unlisten: Unlisten | undefined;
  try {
    unlisten = await listen(db, OUTBOX_CHANNEL, wake);
  } catch (error) {
    log.warn({ err: error }, 'the sender cannot be notified of queued messages; it looks every 30 s');
  }
  const looping = loop();
  log.info('the sender started');
  return {
    wake,
    async stop() {
      stopped = true;
      rouse?.();
      await looping;
      await Promise.all([...runs]);
      await unlisten?.();
    },
  };
}
