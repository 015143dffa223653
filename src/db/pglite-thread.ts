import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The worker's file, in the sources: found from here whether this runs from src/ or from the bundle in dist/. */
function workerFile(): string {
  const name = path.join('src', 'db', 'pglite-worker.mjs');
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, name))) return path.join(dir, name);
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} above ${import.meta.url}`);
  }
}

interface Reply {
  id?: number;
  kind?: 'ready' | 'failed' | 'notify';
  channel?: string;
  result?: unknown;
  error?: Record<string, unknown> & { name: string; message: string; stack?: string };
}

/** An error from the database's thread as PGlite threw it there: its message, PostgreSQL's `code` and fields. */
function rebuilt(error: NonNullable<Reply['error']>): Error {
  const { name, message, stack, ...fields } = error;
  const rebuiltError = Object.assign(new Error(message), fields);
  rebuiltError.name = name;
  if (stack) rebuiltError.stack = stack;
  return rebuiltError;
}

/**
 * The embedded database on a thread of its own (src/db/pglite-worker.mjs): PGlite runs each statement on the
 * thread that calls it, so in the app's thread every statement kept Slack's requests waiting until it finished
 * (a vote's, an App Home's reads). Here the app's thread only sends the statement and reads the rows back.
 *
 * It offers what Concert uses of a PGlite (`query`, `listen`, `dumpDataDir`, `close`, `closed`) and, for
 * its Kysely dialect (db/embedded-dialect.ts), transactions by id. Rows cross as structured clones (dates as Dates);
 * an error keeps its message and PostgreSQL's fields (`code`, `constraint`…). If the thread stops, every
 * statement under way and after fails, saying so.
 */
export class PGliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  /** Per channel: the callbacks, and the LISTEN they wait on. */
  readonly #listeners = new Map<string, { callbacks: Set<() => void>; listening: Promise<void> }>();
  #nextId = 1;
  #closing: Promise<void> | undefined;
  #stopped: Error | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: Reply) => this.#receive(reply));
    worker.on('error', (error) => this.#stop(error));
    worker.on('messageerror', (error) => this.#stop(error));
    worker.on('exit', (code) =>
      this.#stop(new Error(`the embedded database's thread stopped (exit code ${code})`)),
    );
    // The thread keeps the process alive only while a statement is under way (see #send).
    worker.unref();
  }

  /**
   * Starts the thread and opens the database in `dataDir` (in memory without one), from `loadDataDir` (a
   * dump) if given. Rejects with PGlite's own error if it cannot be opened.
   */
  static async open(options: {
    dataDir: string | undefined;
    loadDataDir: Blob | undefined;
    wasmModule: unknown;
    startParams: string[];
  }): Promise<PGliteThread> {
    const loadDataDir = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
    const worker = new Worker(workerFile(), {
      workerData: {
        dataDir: options.dataDir,
        loadDataDir,
        wasmModule: options.wasmModule,
        startParams: options.startParams,
      },
      transferList: loadDataDir ? [loadDataDir] : [],
    });
    // Only these three listeners are taken off after: Node's own on the worker must stay.
    let onMessage: (reply: Reply) => void = () => {};
    let onError: (error: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    const first = await new Promise<Reply>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) =>
        reject(new Error(`the embedded database's thread stopped before it opened (exit code ${code})`));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    }).finally(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
    if (first.kind === 'failed' && first.error) {
      await worker.terminate();
      throw rebuilt(first.error);
    }
    return new PGliteThread(worker);
  }

  /** Closed by `close`, or stopped: statements are refused from then on. */
  get closed(): boolean {
    return this.#closing !== undefined || this.#stopped !== undefined;
  }

  /** A statement by itself, in its turn. */
  query<T>(sql: string, params: readonly unknown[] = []): Promise<{ rows: T[]; affectedRows?: number }> {
    return this.queryIn<T>(undefined, sql, params);
  }

  /**
   * Begins a transaction; its id is for `queryIn` and `end`. The thread runs nothing else until it ends, so
   * transactions and statements from elsewhere never interleave.
   */
  async begin(urgent = false): Promise<number> {
    return (await this.#send({ op: 'begin', urgent })) as number;
  }

  /**
   * A statement inside transaction `tx` (at once), or by itself without one. The thread runs one statement by
   * itself or one transaction at a time: the `urgent` waiting first, then the others in the order they came.
   */
  queryIn<T>(
    tx: number | undefined,
    sql: string,
    params: readonly unknown[],
    urgent = false,
  ): Promise<{ rows: T[]; affectedRows?: number }> {
    return this.#send({ op: 'query', sql, params, tx, urgent });
  }

  /** Commits transaction `tx` (rejecting as PGlite does when it cannot), or rolls it back. */
  async end(tx: number, commit: boolean): Promise<void> {
    await this.#send({ op: 'end', tx, commit });
  }

  /** Calls `onNotify` at each NOTIFY on `channel`; returns what stops it. Rejects if LISTEN fails. */
  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    let channelListen = this.#listeners.get(channel);
    if (!channelListen) {
      const listening = this.#send({ op: 'listen', channel }).then(() => undefined);
      channelListen = { callbacks: new Set(), listening };
      this.#listeners.set(channel, channelListen);
      // A LISTEN that failed is tried again by the next listener.
      listening.catch(() => {
        if (this.#listeners.get(channel) === channelListen) this.#listeners.delete(channel);
      });
    }
    await channelListen.listening;
    const { callbacks } = channelListen;
    callbacks.add(onNotify);
    return async () => {
      callbacks.delete(onNotify);
      if (callbacks.size > 0 || this.#listeners.get(channel) !== channelListen) return;
      this.#listeners.delete(channel);
      if (!this.#stopped) await this.#send({ op: 'unlisten', channel });
    };
  }

  /** The whole database as an uncompressed tarball, as PGlite's `dumpDataDir('none')` makes it. */
  async dumpDataDir(_compression: 'none' = 'none'): Promise<Blob> {
    return new Blob([(await this.#send({ op: 'dump' })) as ArrayBuffer]);
  }

  /** Closes the database (its files are then consistent) and ends the thread; the same promise every call. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#stopped) await this.#send({ op: 'close' }).catch(() => {});
      this.#stopped ??= new Error('the embedded database is closed');
      await this.#worker.terminate();
    })();
    return this.#closing;
  }

  #send(message: Record<string, unknown>): Promise<never> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.#worker.postMessage({ ...message, id });
      } catch (error) {
        // A parameter the thread cannot be sent (a function, say): refused here, and nothing left waiting.
        this.#settled(id);
        reject(error);
      }
    });
  }

  #receive(reply: Reply): void {
    if (reply.kind === 'notify') {
      for (const listener of this.#listeners.get(reply.channel ?? '')?.callbacks ?? []) listener();
      return;
    }
    const waiting = reply.id === undefined ? undefined : this.#pending.get(reply.id);
    if (!waiting) return;
    this.#settled(reply.id as number);
    if (reply.error) waiting.reject(rebuilt(reply.error));
    else waiting.resolve(reply.result);
  }

  /** No longer waiting for `id`; the thread no longer keeps the process alive once nothing is. */
  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #stop(error: Error): void {
    this.#stopped ??= error;
    for (const { reject } of this.#pending.values()) reject(this.#stopped);
    this.#pending.clear();
  }
}
