// The embedded database's own thread: PGlite (PostgreSQL compiled to WebAssembly) runs here, so its statements
// take this thread's time and not the app's, which keeps reading and answering Slack's requests meanwhile.
// Started by src/db/pglite-thread.ts, which is the only side that talks to it: plain JavaScript, so Node runs it
// as it is from the sources (under tsx, vitest or the bundle alike).
//
// Messages in: { id, op: 'query', sql, params, tx?, urgent? } | { id, op: 'begin', urgent? }
//   | { id, op: 'end', commit, tx } | { id, op: 'listen', channel } | { id, op: 'unlisten', channel }
//   | { id, op: 'dump' } | { id, op: 'close' }.
// Messages out: { kind: 'ready' } | { kind: 'failed', error } once at start, then { id, result } or { id, error }
// for each message in, and { kind: 'notify', channel } at each NOTIFY on a channel listened to.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// As the server's pool reads them (src/db/database.ts): calendar days stay 'YYYY-MM-DD', counts are numbers.
const parsers = {
  [DATE_OID]: (value) => value,
  [INT8_OID]: (value) => Number(value),
  [NUMERIC_OID]: (value) => Number(value),
};

/** An error as the app's side rebuilds it: the message and PostgreSQL's fields (`code`, `constraint`…). */
function plainError(error) {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { ...fields, name: error.name, message: error.message, stack: error.stack };
}

const { dataDir, loadDataDir, wasmModule, startParams } = workerData;
let db;
try {
  db = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
    pgliteWasmModule: wasmModule,
    parsers,
    startParams: [...PGlite.defaultStartParams, ...startParams],
  });
} catch (error) {
  parentPort.postMessage({ kind: 'failed', error: plainError(error) });
  process.exit(0);
}

/** The transaction under way, by id: one at a time, and nothing else runs while it is open (see `next`). */
const transactions = new Map();
let nextTransaction = 1;
const unlisten = new Map();

const ops = {
  async query({ sql, params, tx }) {
    const target = tx === undefined ? db : transactions.get(tx)?.tx;
    if (!target) throw new Error('the transaction has ended');
    const { rows, affectedRows } = await target.query(sql, params, { rowMode: 'object' });
    return { rows, affectedRows };
  },
  begin() {
    const id = nextTransaction++;
    return new Promise((began, failed) => {
      const done = db
        .transaction(
          (tx) =>
            new Promise((commit, rollback) => {
              transactions.set(id, { tx, commit, rollback, done });
              began(id);
            }),
        )
        .catch((error) => {
          failed(error);
          throw error;
        });
      done.catch(() => {});
    });
  },
  async end({ tx, commit }) {
    const open = transactions.get(tx);
    if (!open) throw new Error('the transaction has ended');
    transactions.delete(tx);
    if (commit) open.commit();
    else open.rollback(new Error('rolled back'));
    try {
      await open.done;
    } catch (error) {
      if (commit) throw error;
    }
  },
  async listen({ channel }) {
    if (!unlisten.has(channel))
      unlisten.set(
        channel,
        await db.listen(channel, () => parentPort.postMessage({ kind: 'notify', channel })),
      );
  },
  async unlisten({ channel }) {
    const stop = unlisten.get(channel);
    unlisten.delete(channel);
    await stop?.();
  },
  async dump() {
    const file = await db.dumpDataDir('none');
    return file.arrayBuffer();
  },
  async close() {
    await db.close();
  },
};

/** Replies to `message` with what `ops` made of it. */
async function answer(message) {
  try {
    const result = await ops[message.op](message);
    parentPort.postMessage({ id: message.id, result }, result instanceof ArrayBuffer ? [result] : []);
    if (message.op === 'close') parentPort.close();
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: plainError(error) });
  }
}

// One statement by itself or one transaction at a time, the urgent waiting first (what must precede an ack
// to Slack: src/db/urgent.ts), then the others in the order they came. A transaction's own statements, and
// its end, go at once.
const waiting = { urgent: [], others: [] };
let busy = false;

function next() {
  if (busy) return;
  const message = waiting.urgent.shift() ?? waiting.others.shift();
  if (!message) return;
  busy = true;
  const free = () => {
    busy = false;
    next();
  };
  if (message.op !== 'begin') {
    answer(message).finally(free);
    return;
  }
  // Busy until the transaction ends, however it ends.
  ops
    .begin()
    .then((tx) => {
      transactions.get(tx).done.then(free, free);
      parentPort.postMessage({ id: message.id, result: tx });
    })
    .catch((error) => {
      parentPort.postMessage({ id: message.id, error: plainError(error) });
      free();
    });
}

parentPort.on('message', (message) => {
  if (message.tx !== undefined) {
    answer(message);
    return;
  }
  (message.urgent ? waiting.urgent : waiting.others).push(message);
  next();
});
parentPort.postMessage({ kind: 'ready' });
