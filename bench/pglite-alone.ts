/**
 * The floor for the embedded app's idle memory (`npm run bench:start`): the embedded database alone, opened as
 * the app opens it (`openPGlite`, with its settings) on `DATA_DIR`, answering `GET /` on `PORT` once ready.
 */
import { createServer } from 'node:http';
import { openPGlite } from '../src/db/database.js';

const pglite = await openPGlite(process.env.DATA_DIR);
await pglite.query('select 1');
createServer((_, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
