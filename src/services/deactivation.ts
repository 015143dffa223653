import { listOpenStepsOf } from '../db/action-steps.js';
import { removeFromAllChannels } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { cancelQueuedTo, enqueue, messageRow } from '../db/outbox.js';
import { setDeactivatedAt } from '../db/people.js';
import type { Person } from '../db/schema.js';
import { findWorkspace } from '../db/workspaces.js';
import { deactivatedOwnerMessage } from '../views/lifecycle.js';
import { localTime } from './time.js';

/**
 * Someone's Slack account was deactivated (`user_change` with `deleted`, or users.info at a reconcile):
 * they leave every channel Concert counts (so no round asks them and no new vote lists them), what is
 * queued to them is cancelled, and the backbone channel is told once which of their open action steps need
 * a new owner. Returns the notice's outbox id to send, if one was queued.
 */
export async function personDeactivated(
  db: Db,
  person: Person,
  known: boolean,
  now: Date,
): Promise<number | undefined> {
  const teamId = person.team_id;
  if (!(await setDeactivatedAt(db, teamId, person.user_id, now))) return undefined;
  await removeFromAllChannels(db, teamId, person.user_id);
  await cancelQueuedTo(db, teamId, person.user_id, 'account_deactivated');
  const workspace = await findWorkspace(db, teamId);
  const steps = await listOpenStepsOf(db, teamId, person.user_id);
  // Someone Concert never dealt with needs no word; someone it did, or who owns steps, does.
  if (!workspace?.backbone_channel_id || (!known && steps.length === 0)) return undefined;
  const today = localTime(now, workspace.default_tz).date;
  const row = await enqueue(
    db,
    messageRow(
      teamId,
      'person_deactivated',
      `${person.user_id}:${now.toISOString()}`,
      workspace.backbone_channel_id,
      deactivatedOwnerMessage(person.user_id, person.name, steps, today),
      now,
    ),
  );
  return row?.id;
}

/** The account was reactivated: it counts again from the next reconcile of its channels. */
export async function personReactivated(db: Db, person: Person): Promise<boolean> {
  return setDeactivatedAt(db, person.team_id, person.user_id, null);
}
