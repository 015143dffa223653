import { listOpenStepsOf } from '../db/action-steps.js';
import { removeFromAllChannels } from '../db/channel-members.js';
import { atomically, type Db } from '../db/database.js';
import { cancelQueuedTo } from '../db/outbox.js';
import { setDeactivatedAt } from '../db/people.js';
import type { Person } from '../db/schema.js';
import { findWorkspace } from '../db/workspaces.js';
import { queueMessage } from './outgoing.js';
import { localDate, timeZoneOf } from './time.js';

/**
 * Someone's Slack account was deactivated (`user_change` with `deleted`, or users.info at a reconcile):
 * they leave every channel Concert counts (so no round asks them and no new vote lists them), what is
 * queued to them is cancelled, and the backbone channel is told once which of their open action steps need
 * a new owner. Returns the notice's outbox id to send, if one was queued.
 */
export async function personDeactivated(db: Db, person: Person, now: Date): Promise<number | undefined> {
  return atomically(db, async (tx) => {
    const teamId = person.team_id;
    if (!(await setDeactivatedAt(tx, teamId, person.user_id, now))) return undefined;
    const channels = await removeFromAllChannels(tx, teamId, person.user_id);
    await cancelQueuedTo(tx, teamId, person.user_id, 'account_deactivated');
    const workspace = await findWorkspace(tx, teamId);
    const steps = await listOpenStepsOf(tx, teamId, person.user_id);
    // Someone who was in no channel Concert counts and owns no step needs no word to the backbone.
    if (!workspace?.backbone_channel_id || (channels === 0 && steps.length === 0)) return undefined;
    const today = localDate(now, timeZoneOf(workspace.default_tz));
    const row = await queueMessage(
      tx,
      {
        teamId,
        kind: 'person_deactivated',
        data: { userId: person.user_id, name: person.name, steps, today, at: now },
        to: workspace.backbone_channel_id,
      },
      now,
    );
    return row?.id;
  });
}

/** The account was reactivated: it counts again from the next reconcile of its channels. */
export async function personReactivated(db: Db, person: Person): Promise<boolean> {
  return setDeactivatedAt(db, person.team_id, person.user_id, null);
}
