import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Urgent statements: what must run before Slack's request is acknowledged (the delivery's record, the
 * person acting), which Slack expects within 3 seconds.
 *
 * The embedded database runs one statement by itself or one transaction at a time, on its own thread
 * (db/pglite-thread.ts). What is sent there urgently goes ahead of everything waiting, so under a storm of clicks
 * an ack's one statement waits only for the statement or transaction under way, not for every earlier click's
 * work. On PostgreSQL each statement takes a connection of the pool, and `urgently` changes nothing.
 */
const urgent = new AsyncLocalStorage<true>();

/**
 * Whether an embedded database is open in this process. Until one is, `urgently` leaves AsyncLocalStorage
 * unused: on Node 22 its first `run` installs a hook on every promise the process makes from then on, which an
 * app on PostgreSQL would pay for at every statement and request for nothing.
 */
let embeddedOpen = false;

/** Runs `work` with its statements on the embedded database ahead of any not urgent that are waiting. */
export function urgently<T>(work: () => Promise<T>): Promise<T> {
  return embeddedOpen ? urgent.run(true, work) : work();
}

/** Whether the statement about to be sent is urgent (within `urgently`). */
export function isUrgent(): boolean {
  return embeddedOpen && urgent.getStore() === true;
}

/** Said by the embedded database when it opens, so that `urgently` marks what runs within it from then on. */
export function embeddedDatabaseOpened(): void {
  embeddedOpen = true;
}
