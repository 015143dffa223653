import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGliteOptions } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { EmbeddedDialect } from './embedded-dialect.js';
import { PGliteThread } from './pglite-thread.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** How each database opened here is listened to: its server's address, or the embedded database itself. */
const listenable = new WeakMap<Db, { url: string } | { pglite: PGliteThread }>();

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// Due dates are calendar days, not instants: keep them as 'YYYY-MM-DD' instead of a Date at local midnight.
// Counts come back as int8; every count here fits comfortably in a JS number. The embedded database's thread
// reads them the same way (db/pglite-worker.mjs).
const parsers: Record<number, (value: string) => unknown> = {
  [DATE_OID]: (value) => value,
  [INT8_OID]: (value) => Number(value),
  [NUMERIC_OID]: (value) => Number(value),
};

export class DatabaseUnavailableError extends Error {
  constructor(
    readonly variable: 'DATABASE_URL' | 'CONCERT_DATA_DIR',
    cause: unknown,
  ) {
    super(
      `${variable}: cannot open the database (${cause instanceof Error ? cause.message : String(cause)})`,
      { cause },
    );
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * How many connections the app keeps open however long it is idle, and how long (ms) it keeps each other one
 * after its last use. A new connection costs the server a process and the first statements on it read the
 * catalog afresh: about 20 ms on a loopback server here, more over TLS. pg closes every idle connection after
 * 10 s by default, so a click after a quiet spell (the usual case: votes and check-ins are sparse) paid that.
 */
export const APP_POOL: PoolKeeping = { keepOpen: 2, idleMs: 60_000 };

/** Connections kept open while idle, and how long (ms) each other one stays after its last use. */
export interface PoolKeeping {
  keepOpen: number;
  idleMs: number;
}

/**
 * Production path: a pooled connection to a Postgres server; many app instances may share it. An idle
 * connection the server drops (a restart, a failover) is reported to `onIdleError` and replaced on next use,
 * instead of taking the process down. Without `keep`, pg's own: none kept open, the others closed 10 s after use.
 */
export function postgresDatabase(
  url: string,
  poolSize = 10,
  onIdleError: (error: Error) => void = () => {},
  keep?: PoolKeeping,
): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(keep && { min: Math.min(keep.keepOpen, poolSize), idleTimeoutMillis: keep.idleMs }),
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', onIdleError);
  // A connection that drops while checked out but between statements (inside a transaction, or just before
  // its query) emits 'error' on its client, where no pool listener is: unheard, that ends the process. The
  // statement that uses it next fails instead, and that failure is handled where it happens.
  pool.on('connect', (client) => client.on('error', onIdleError));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  listenable.set(db, { url });
  return db;
}

/** Embedded path: Postgres compiled to WebAssembly, persisted in a directory, for a single instance. */
export function embeddedDatabase(pglite: PGliteThread): Db {
  const db = new Kysely<Database>({ dialect: new EmbeddedDialect(pglite) });
  listenable.set(db, { pglite });
  // Kysely ends its driver only if a statement ran: the thread (and its data directory) is closed either way.
  const destroy = db.destroy.bind(db);
  db.destroy = async () => {
    await destroy();
    await pglite.close();
  };
  return db;
}

/** Whether `db` is the embedded database, which one process alone opens. */
export function isEmbedded(db: Db): boolean {
  const target = listenable.get(db);
  return target !== undefined && 'pglite' in target;
}

/** What `listen` returns: stops listening and closes what it opened. */
export type Unlisten = () => Promise<void>;

/**
 * Calls `onNotify` at each NOTIFY on `channel` (PostgreSQL's LISTEN): on a server over a connection of its own,
 * made again after a drop (`onNotify` is called then too, since notifications sent meanwhile are lost); on the
 * embedded database, in this process. A database not opened here is never notified (undefined).
 */
export async function listen(db: Db, channel: string, onNotify: () => void): Promise<Unlisten | undefined> {
  const target = listenable.get(db);
  if (!target) return undefined;
  if ('pglite' in target) {
    const stop = await target.pglite.listen(channel, onNotify);
    return () => stop();
  }
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    let failed = false;
    const fail = () => {
      // The connection dropped (or never came): a new one in a second, and what was missed is looked for then.
      if (failed) return;
      failed = true;
      next.end().catch(() => {});
      if (client === next) client = undefined;
      if (!stopped) retry = setTimeout(() => void connect(), 1_000);
    };
    next.on('error', fail);
    next.on('end', fail);
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      fail();
      return;
    }
    if (stopped) return void (await next.end().catch(() => {}));
    client = next;
    onNotify();
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

/**
 * The embedded database's settings beyond PGlite's own: it serves one small instance, so its shared buffers
 * are 32 MB instead of PostgreSQL's 128 MB. That keeps an idle app's resident set about 30 MB smaller (see
 * `npm run bench:start`); a coalition's working set fits in it.
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB'];

type PostgresWasm = NonNullable<PGliteOptions['pgliteWasmModule']>;
/** Node's WebAssembly compiler, which the ES library's types leave out. */
const { WebAssembly: wasm } = globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => PostgresWasm };
};
let compiledPostgres: PostgresWasm | undefined;

/**
 * PGlite's PostgreSQL (9 MB of WebAssembly), compiled once per process and synchronously, each function as it
 * is first called. Left to PGlite, it is compiled asynchronously, and the first turn of the event loop after
 * the database opens then waits on V8's background compilation: measured on a warm data directory, PGlite's
 * open and first statement took 1.2 s that way and 0.6 s this way, the statements' speed unchanged (the hot
 * functions are optimized as before).
 */
function postgresWasm(): PostgresWasm {
  if (!compiledPostgres) {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    compiledPostgres = new wasm.Module(readFileSync(path.join(dist, 'pglite.wasm')));
  }
  return compiledPostgres;
}

/**
 * Opens (or creates) the embedded database in `dataDir` (in memory without one), from `loadDataDir` if given, on
 * a thread of its own (`PGliteThread`). PGlite is loaded there, so an app on a PostgreSQL server never loads it.
 */
export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGliteThread> {
  return PGliteThread.open({
    dataDir,
    loadDataDir,
    wasmModule: postgresWasm(),
    startParams: PGLITE_SETTINGS,
  });
}

/** Opens the configured database and proves it answers, naming the variable at fault if it does not. */
export async function openDatabase(
  config: Config['database'],
  onIdleError?: (error: Error) => void,
): Promise<Db> {
  if (config.kind === 'postgres') {
    const db = postgresDatabase(config.url, 10, onIdleError, APP_POOL);
    try {
      // One ping on each connection kept open, so the first requests find them made.
      await Promise.all(Array.from({ length: APP_POOL.keepOpen }, () => pingDatabase(db)));
    } catch (error) {
      await db.destroy().catch(() => {});
      throw new DatabaseUnavailableError('DATABASE_URL', error);
    }
    return db;
  }
  try {
    return embeddedDatabase(await openPGlite(config.dataDir));
  } catch (error) {
    throw new DatabaseUnavailableError('CONCERT_DATA_DIR', error);
  }
}

/**
 * Refreshes the planner's statistics. A server's autovacuum does this by itself; the embedded database never
 * does, and without them the digest's queries pick plans many times slower.
 */
export async function refreshStatistics(db: Db): Promise<void> {
  await sql`analyze`.execute(db);
}

/**
 * Refreshes the statistics of the tables that changed size since their last ANALYZE (or have rows and were
 * never analyzed), the embedded database's start-up check; returns their names. A table counts as changed when
 * its size in pages differs from the size ANALYZE recorded (`pg_class.relpages`) by more than a tenth, autovacuum's
 * default scale factor, and by at least one page. Sizes, unlike the activity counters, survive a restart of the
 * embedded database, which keeps no counters across one. The daily refresh (scheduler job `statistics`) still
 * catches what changes without growing.
 */
export async function refreshStaleStatistics(db: Db): Promise<string[]> {
  const stale = await sql<{ table: string }>`
    select c.relname as "table"
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema()
      and c.relkind = 'r'
      and abs(pg_relation_size(c.oid) / current_setting('block_size')::bigint - c.relpages) > c.relpages / 10.0
    order by 1`.execute(db);
  const tables = stale.rows.map((row) => row.table);
  if (tables.length > 0) await sql`analyze ${sql.join(tables.map((table) => sql.id(table)))}`.execute(db);
  return tables;
}

export async function pingDatabase(db: Db): Promise<void> {
  await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
}

/**
 * Runs `work` inside a transaction so that, if it fails, only its own changes are undone and the
 * transaction can go on; the error is thrown on to the caller, who decides what to do instead.
 */
export async function withSavepoint<T>(tx: Db, name: string, work: () => Promise<T>): Promise<T> {
  await sql`savepoint ${sql.id(name)}`.execute(tx);
  try {
    const result = await work();
    await sql`release savepoint ${sql.id(name)}`.execute(tx);
    return result;
  } catch (error) {
    await sql`rollback to savepoint ${sql.id(name)}`.execute(tx);
    throw error;
  }
}

/** Runs `work` in a transaction, or in the caller's when `db` already is one: its writes land together. */
export async function atomically<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
