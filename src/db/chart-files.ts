import type { Db } from './database.js';
import type { ChartFile } from './indicator-schema.js';

/** Stores a chart's PNG under its key, once: the same chart again stores nothing. */
export async function storeChartFile(
  db: Db,
  row: { teamId: string; key: string; filename: string; title: string; png: Uint8Array; at: Date },
): Promise<void> {
  await db
    .insertInto('chart_files')
    .values({
      team_id: row.teamId,
      key: row.key,
      filename: row.filename,
      title: row.title,
      png: row.png,
      created_at: row.at,
    })
    .onConflict((oc) => oc.columns(['team_id', 'key']).doNothing())
    .execute();
}

export async function findChartFile(db: Db, teamId: string, key: string): Promise<ChartFile | undefined> {
  return db
    .selectFrom('chart_files')
    .selectAll()
    .where('team_id', '=', teamId)
    .where('key', '=', key)
    .executeTakeFirst();
}

/**
 * Takes the upload of a chart not uploaded yet, for `leaseMs`: true for the one caller that got it (no
 * other instance holds an unexpired lease), false when it is uploaded or another upload is under way.
 */
export async function takeChartUpload(
  db: Db,
  teamId: string,
  key: string,
  now: Date,
  leaseMs: number,
): Promise<boolean> {
  const taken = await db
    .updateTable('chart_files')
    .set({ upload_lease_until: new Date(now.getTime() + leaseMs) })
    .where('team_id', '=', teamId)
    .where('key', '=', key)
    .where('file_id', 'is', null)
    .where((eb) => eb.or([eb('upload_lease_until', 'is', null), eb('upload_lease_until', '<=', now)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Records the Slack file a chart was uploaded as. */
export async function setChartFileId(db: Db, teamId: string, key: string, fileId: string, at: Date) {
  await db
    .updateTable('chart_files')
    .set({ file_id: fileId, uploaded_at: at, upload_lease_until: null })
    .where('team_id', '=', teamId)
    .where('key', '=', key)
    .where('file_id', 'is', null)
    .execute();
}

/** Gives an upload up (it failed), so the next try may take it at once. */
export async function releaseChartUpload(db: Db, teamId: string, key: string) {
  await db
    .updateTable('chart_files')
    .set({ upload_lease_until: null })
    .where('team_id', '=', teamId)
    .where('key', '=', key)
    .where('file_id', 'is', null)
    .execute();
}
