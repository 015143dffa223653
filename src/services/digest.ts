import type { Db } from '../db/database.js';
import { takeOnce } from '../db/interaction-effects.js';
import { isQueued } from '../db/outbox.js';
import type { Workspace } from '../db/schema.js';
import { findWorkspace } from '../db/workspaces.js';
import { storeCharts } from './chart-files.js';
import { type Figures, figures, overdueOwners, periodEnding } from './follow-through.js';
import { digestCharts } from './measures.js';
import { nudgeByHand } from './nudges.js';
import { type Once, REPEAT, type Repeat } from './once.js';
import { queueMessages } from './outgoing.js';
import { instantAt, localTime, timeZoneOf } from './time.js';

export const WEEKS_MAX = 12;

/** `/concert digest [weeks]`: 1 by default, at most a quarter. */
export function weeksOf(text: string): number | undefined {
  if (text.trim() === '') return 1;
  const weeks = Number(text.trim());
  return Number.isInteger(weeks) && weeks >= 1 && weeks <= WEEKS_MAX ? weeks : undefined;
}

/** `/concert digest [weeks]`: the figures of the `weeks` weeks to `now`, for the view to show. */
export async function digestFigures(db: Db, teamId: string, now: Date, weeks: number): Promise<Figures> {
  return figures(db, teamId, now, weeks * 7);
}

/**
 * The weekly digest, once its day and time have come in the workspace's time zone: queued for the
 * backbone channel, keyed by the day, so each week's goes once however many ticks or instances see it.
 */
export async function queueWeeklyDigest(db: Db, workspace: Workspace, now: Date): Promise<number[]> {
  const backbone = workspace.backbone_channel_id;
  if (!backbone) return [];
  const tz = timeZoneOf(workspace.default_tz);
  const local = localTime(now, tz);
  if (local.weekday !== workspace.digest_weekday) return [];
  // The period ends at the digest's own moment (a time the clocks skip or repeat read by instantAt's rule),
  // so every tick that day computes the same digest.
  const end = instantAt(local.date, workspace.digest_minute, tz);
  if (now < end) return [];
  const rows = await queueMessages(
    db,
    {
      teamId: workspace.team_id,
      kind: 'digest',
      data: { figures: await figures(db, workspace.team_id, end), day: local.date },
      to: backbone,
    },
    now,
  );
  return rows.map((row) => row.id);
}

/**
 * The weekly digest's charts, once its day and time have come (queueWeeklyDigest's rule): drawn and queued
 * once, keyed by the day like the digest, after it; a tick that finds them queued draws nothing. Apart from
 * the digest, so charts that cannot be drawn never hold its figures back.
 */
export async function queueWeeklyDigestCharts(db: Db, workspace: Workspace, now: Date): Promise<number[]> {
  const backbone = workspace.backbone_channel_id;
  if (!backbone) return [];
  const tz = timeZoneOf(workspace.default_tz);
  const local = localTime(now, tz);
  if (local.weekday !== workspace.digest_weekday) return [];
  const end = instantAt(local.date, workspace.digest_minute, tz);
  if (now < end) return [];
  return queueDigestCharts(db, workspace.team_id, backbone, end, local.date, now);
}

async function queueDigestCharts(
  db: Db,
  teamId: string,
  backbone: string,
  end: Date,
  day: string,
  now: Date,
): Promise<number[]> {
  if (await isQueued(db, teamId, 'digest_charts', `${day}:1`)) return [];
  const charts = await storeCharts(db, teamId, await digestCharts(db, teamId, end), now);
  if (charts.length === 0) return [];
  const period = periodEnding(end, 7, timeZoneOf((await findWorkspace(db, teamId))?.default_tz));
  const rows = await queueMessages(
    db,
    {
      teamId,
      kind: 'digest_charts',
      data: { charts, day, period: { startDate: period.startDate, endDate: period.endDate } },
      to: backbone,
    },
    now,
  );
  return rows.map((row) => row.id);
}

/**
 * `/concert digest [weeks]`'s charts: drawn and stored (once per chart: chart-files.ts) for the digest to
 * `now`, to be shown with their images uploaded once.
 */
export async function digestChartsNow(db: Db, teamId: string, now: Date) {
  const charts = await storeCharts(db, teamId, await digestCharts(db, teamId, now), now);
  const period = periodEnding(now, 7, timeZoneOf((await findWorkspace(db, teamId))?.default_tz));
  return { charts, period: { startDate: period.startDate, endDate: period.endDate } };
}

/**
 * The digest's *Post* button: the digest as of `now`, and its charts after it, queued for the backbone
 * channel in the transaction that takes the click (`once`), so one click, however often delivered, posts
 * them once; the same click again is a `repeat`. Returns the queued messages' outbox ids, to be sent at once.
 */
export async function queueDigestPost(
  db: Db,
  teamId: string,
  backboneChannelId: string,
  now: Date,
  weeks: number,
  once?: Once,
): Promise<number[] | Repeat> {
  const shown = await digestFigures(db, teamId, now, weeks);
  const key = once?.key ?? now.toISOString();
  const { charts, period } = await digestChartsNow(db, teamId, now);
  return db.transaction().execute(async (tx) => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const rows = await queueMessages(
      tx,
      {
        teamId,
        kind: 'digest_post',
        data: { figures: shown, weeks, once: key },
        to: backboneChannelId,
      },
      now,
    );
    const chartRows =
      charts.length === 0
        ? []
        : await queueMessages(
            tx,
            {
              teamId,
              kind: 'digest_post_charts',
              data: { charts, period, once: key },
              to: backboneChannelId,
            },
            now,
          );
    return [...rows, ...chartRows].map((row) => row.id);
  });
}

/**
 * *Nudge all overdue owners*: each owner with a step overdue now gets the backbone's nudge about each,
 * recorded on the step; the same digest's button nudges nobody twice. With `once` (the click), the same
 * click again is a `repeat` and is not answered again.
 */
export async function nudgeAllOverdue(
  db: Db,
  teamId: string,
  actorId: string,
  now: Date,
  weeks: number,
  once?: Once,
): Promise<{ ids: number[]; owners: string[] } | Repeat> {
  const { period, owners } = await overdueOwners(db, teamId, now, weeks * 7);
  return db.transaction().execute(async (tx) => {
    if (!(await takeOnce(tx, once, now))) return REPEAT;
    const ids: number[] = [];
    for (const owner of owners) {
      const nudged = await nudgeByHand(tx, teamId, owner, actorId, now, `digest:${period.endDate}`);
      ids.push(...nudged.ids);
    }
    return { ids, owners };
  });
}
