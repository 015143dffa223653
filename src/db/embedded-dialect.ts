import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  PGliteAdapter,
  PGliteDialect,
  type QueryResult,
} from 'kysely';
import type { PGliteThread } from './pglite-thread.js';
import { embeddedDatabaseOpened, isUrgent } from './urgent.js';

/**
 * A statement, or a transaction's statements, sent to the embedded database's thread. Each connection Kysely
 * asks for is one of these: statements from several go to the thread at once and wait there in turn (a
 * transaction holds the others back until it ends: db/pglite-worker.mjs), so a statement that is ready does not
 * wait for the app's thread to be free, and the database never runs two things at once.
 */
class ThreadConnection implements DatabaseConnection {
  #tx: number | undefined;

  constructor(private readonly thread: PGliteThread) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // The thread's error has the thread's stack: the app's own, where the statement was run, is added to it.
    const caller = new Error();
    const { rows, affectedRows } = await this.thread
      .queryIn<R>(this.#tx, query.sql, query.parameters, isUrgent())
      .catch((error: unknown) => {
        if (error instanceof Error)
          error.stack = `${error.stack}\n${caller.stack?.split('\n').slice(1).join('\n')}`;
        throw error;
      });
    return {
      rows: rows ?? [],
      ...(affectedRows != null ? { numAffectedRows: BigInt(affectedRows) } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite cannot stream; Kysely's own PGlite driver says the same.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming is not supported by the embedded database.');
  }

  async begin(): Promise<void> {
    this.#tx = await this.thread.begin(isUrgent());
  }

  async end(commit: boolean): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    if (tx !== undefined) await this.thread.end(tx, commit);
  }
}

class ThreadDriver implements Driver {
  constructor(private readonly thread: PGliteThread) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new ThreadConnection(this.thread);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as ThreadConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as ThreadConnection).end(true);
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as ThreadConnection).end(false);
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.thread.close();
  }
}

/** Kysely's PGlite dialect (its SQL, its adapter) over the embedded database's thread. */
export class EmbeddedDialect extends PGliteDialect {
  constructor(private readonly thread: PGliteThread) {
    super({ pglite: thread as never });
    embeddedDatabaseOpened();
  }
  override createAdapter(): PGliteAdapter {
    return new (class extends PGliteAdapter {
      // Statements from several connections at once: the thread takes them in turn.
      override get supportsMultipleConnections(): boolean {
        return true;
      }
    })();
  }
  override createDriver(): Driver {
    return new ThreadDriver(this.thread);
  }
}
