import type { Db } from '../db/database.js';
import { type Once, wasTaken } from '../db/interaction-effects.js';
import { type DeletedRows, deleteWorkspaceRows, uninstalledBefore } from '../db/workspace-data.js';
import type { Logger } from '../logger.js';
import { eachAlone } from './isolation.js';
import { REPEAT, type Repeat, unlessTwinTook } from './once.js';
import { mayActAsBackbone, type Permission } from './roles.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export type DataDeletion =
  /** Not a backbone member now (or the workspace is no longer set up): nothing was deleted. */
  | { status: 'refused'; permission: Extract<Permission, { allowed: false }> }
  /** What was typed is not the workspace's name: nothing was deleted. */
  | { status: 'not-confirmed'; error: string }
  | { status: 'deleted'; deleted: DeletedRows }
  /** The same confirming form again (a double click, Slack's redelivery): the first one's answer stands. */
  | Repeat;

/** Letters compared as a person reads them: case, surrounding spaces and runs of spaces do not matter. */
function comparable(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/**
 * A backbone member deletes all of the workspace's data in Concert: action steps, check-ins, proposals and
 * votes, work groups, people, settings and queued messages, after confirming by typing the workspace's name
 * (`workspaceName`, as Slack gives it). Checked again here, at the moment of deleting, whatever the form
 * showed. The installation stays (the app is still in the workspace until someone removes it).
 */
export async function deleteAllData(
  db: Db,
  request: {
    teamId: string;
    userId: string;
    typedName: string | null | undefined;
    workspaceName: string;
    /** Called once confirmed, before anything is deleted (to answer Slack within its 3 s). */
    confirmed?: () => Promise<void>;
    /** The confirming form: it deletes once, however often it is submitted. */
    once?: Once;
  },
  now: Date,
): Promise<DataDeletion> {
  if (await wasTaken(db, request.once)) return REPEAT;
  const permission = await mayActAsBackbone(db, request.teamId, request.userId);
  // The same form, taken in between, deleted the coalition and with it this person's standing.
  if (!permission.allowed) return unlessTwinTook(db, request.once, { status: 'refused', permission });
  if (comparable(request.typedName ?? '') !== comparable(request.workspaceName))
    return {
      status: 'not-confirmed',
      error: `Type the workspace’s name, ${request.workspaceName}, to confirm. Nothing was deleted.`,
    };
  await request.confirmed?.();
  const deleted = await deleteWorkspaceRows(db, request.teamId, { once: request.once, now });
  return deleted ? { status: 'deleted', deleted } : REPEAT;
}

/**
 * Deletes the data of every workspace that uninstalled Concert (or revoked its token) `retentionDays` or
 * more before `now` and has not installed it again since; each workspace on its own, so one that fails is
 * logged and the others go on. Returns the workspaces deleted.
 */
export async function deleteAfterRetention(
  db: Db,
  now: Date,
  retentionDays: number,
  log: Logger,
): Promise<string[]> {
  const before = new Date(now.getTime() - retentionDays * DAY_MS);
  const done: string[] = [];
  await eachAlone(
    await uninstalledBefore(db, before),
    async (teamId) => {
      const deleted = await deleteWorkspaceRows(db, teamId, { uninstalledBefore: before });
      if (!deleted) return;
      done.push(teamId);
      log.info(
        { teamId, deleted, retentionDays },
        'deleted the data of a workspace uninstalled past retention',
      );
    },
    log,
    (teamId) => ({ teamId }),
    'deleting an uninstalled workspace’s data',
  );
  return done;
}
