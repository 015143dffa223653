import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { openPGlite } from '../src/db/database.js';

// The embedded database serves one small instance: it keeps a small buffer pool, so an idle app stays small
// (`npm run bench:start` measures the resident set).
describe('the embedded database', () => {
  it('opens with 32 MB of shared buffers instead of 128 MB', async () => {
    // The suite's migrated template when the run made one (not on a PostgreSQL server's run).
    const template = inject('pgliteTemplate');
    const pglite = await openPGlite(undefined, template ? new Blob([readFileSync(template)]) : undefined);
    try {
      const { rows } = await pglite.query<{ shared_buffers: string }>('show shared_buffers');
      expect(rows).toEqual([{ shared_buffers: '32MB' }]);
    } finally {
      await pglite.close();
    }
  });
});
