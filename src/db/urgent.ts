import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import { type DatabaseConnection, type Driver, PGliteAdapter, PGliteDialect, PGliteDriver } from 'kysely';

/**
 * Urgent statements: what must run before Slack's request is acknowledged (the delivery's record, the
 * person acting), which Slack expects within 3 seconds.
 *
 * The embedded database has one connection, so its statements run one at a time, each transaction whole.
 * Kysely's own lock for it takes waiters in turn, so under a storm of clicks an ack's one statement would wait
 * behind every earlier click's work; here it waits only for the statement or transaction under way. On
 * PostgreSQL each statement takes a connection of the pool, and `urgently` changes nothing.
 */
const urgent = new AsyncLocalStorage<true>();

/**
 * Whether an embedded database lends its connection in this process. Until one does, `urgently` leaves
 * AsyncLocalStorage unused: on Node 22 its first `run` installs a hook on every promise the process makes
 * from then on, which an app on PostgreSQL would pay for at every statement and request for nothing.
 */
let lending = false;

/** Runs `work` with its statements on the embedded database ahead of any not urgent that are waiting. */
export function urgently<T>(work: () => Promise<T>): Promise<T> {
  return lending ? urgent.run(true, work) : work();
}

/**
 * The one connection, lent to one user at a time: urgent waiters first, then the others, each in turn. PGlite
 * runs a statement on this thread and settles it without a turn of the event loop, so a chain of statements
 * would keep Slack's next requests from even being read: the connection goes to a waiter that is not urgent
 * only on a turn of its own (setImmediate), after the requests that arrived meanwhile, whose urgent
 * statements then go first.
 */
class ConnectionLock {
  #held = false;
  #turnScheduled = false;
  readonly #urgent: (() => void)[] = [];
  readonly #others: (() => void)[] = [];

  obtain(): Promise<void> {
    return new Promise((resolve) => {
      (urgent.getStore() ? this.#urgent : this.#others).push(resolve);
      this.#lend();
    });
  }

  release(): void {
    this.#held = false;
    this.#lend();
  }

  #lend(): void {
    if (this.#held) return;
    const next = this.#urgent.shift();
    if (next) {
      this.#held = true;
      next();
      return;
    }
    if (this.#others.length === 0 || this.#turnScheduled) return;
    this.#turnScheduled = true;
    setImmediate(() => {
      this.#turnScheduled = false;
      if (this.#held) return; // an urgent waiter took it meanwhile; its release lends again
      const waiter = this.#urgent.shift() ?? this.#others.shift();
      if (!waiter) return;
      this.#held = true;
      waiter();
    });
  }
}

class LockingPGliteDriver extends PGliteDriver {
  readonly #lock = new ConnectionLock();

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.#lock.obtain();
    try {
      return await super.acquireConnection();
    } catch (error) {
      this.#lock.release();
      throw error;
    }
  }
  override async releaseConnection(): Promise<void> {
    this.#lock.release();
  }
}

/**
 * Kysely's PGlite dialect with the connection lent by ConnectionLock instead of Kysely's own lock (the adapter
 * says it has connections to share, so Kysely adds no lock of its own).
 */
export class UrgentFirstPGliteDialect extends PGliteDialect {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    super({ pglite });
    this.#pglite = pglite;
    lending = true;
  }
  override createAdapter(): PGliteAdapter {
    return new (class extends PGliteAdapter {
      override get supportsMultipleConnections(): boolean {
        return true;
      }
    })();
  }
  override createDriver(): Driver {
    return new LockingPGliteDriver({ pglite: this.#pglite });
  }
}
