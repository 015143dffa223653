import type { AllMiddlewareArgs } from '@slack/bolt';
import { findWorkspace } from '../db/workspaces.js';
import { queueReports, queueSupportRequest, refreshCheckinMessages } from '../services/checkin-rounds.js';
import {
  type CheckinRefusal,
  type CheckinTarget,
  checkinForm,
  type SubmittedCheckin,
} from '../services/checkins.js';
import { deliverDue } from '../services/delivery.js';
import { queueAssignment, refreshStepMessages } from '../services/nudges.js';
import { queuedMessageStillWanted } from '../services/still-wanted.js';
import { webSender } from '../slack/web-sender.js';
import { checkinModal, checkinSavedText } from '../views/checkins.js';
import { channel, escapeMrkdwn } from '../views/text.js';
import type { ListenerDeps } from './deps.js';
import { directoryFor } from './directory.js';
import { tellUser } from './reply.js';

type Slack = Pick<AllMiddlewareArgs, 'client' | 'context'>;

export function checkinRefusalText(refusal: CheckinRefusal): string {
  switch (refusal.reason) {
    case 'not-found':
      return 'That check-in no longer exists.';
    case 'not-yours':
      return 'This check-in belongs to someone else; only they can answer it.';
    case 'not-member':
      return `Check-ins for *${escapeMrkdwn(refusal.group.name)}* are answered by the members of ${channel(refusal.group.channel_id)}. Join the channel to check in.`;
    case 'group-ended':
      return `The work group *${escapeMrkdwn(refusal.group.name)}* has ended; it has no more check-ins.`;
  }
}

/** Opens the check-in form at once (a trigger_id lasts 3 s), or says why it cannot be opened. */
export async function openCheckin(
  deps: ListenerDeps,
  slack: Slack,
  request: {
    teamId: string;
    userId: string;
    triggerId: string;
    target: CheckinTarget;
    channelId?: string | undefined;
  },
): Promise<void> {
  const { teamId, userId } = request;
  const form = await checkinForm(deps.db, { teamId, userId, target: request.target }, deps.clock());
  if (!form.ok) {
    await tellUser({ client: slack.client, userId, channelId: request.channelId }, checkinRefusalText(form));
    return;
  }
  await slack.client.views.open({
    trigger_id: request.triggerId,
    view: checkinModal(form.form, userId, {
      checkinId: form.form.checkin?.id ?? null,
      groupId: form.form.group.id,
      channelId: request.channelId,
    }),
  });
}

/**
 * What follows a saved check-in: changed steps' messages and new owners' DMs, the prompt and any thread
 * reply brought up to date, a late report added to its round's thread, support asked for sent to the
 * backbone, a confirmation, and App Home for everyone concerned.
 */
export async function afterCheckinSaved(
  deps: ListenerDeps,
  slack: Slack,
  teamId: string,
  userId: string,
  saved: SubmittedCheckin,
  channelId: string | undefined,
): Promise<void> {
  const { client } = slack;
  const now = deps.clock();
  const sender = webSender(client);
  const { checkin, group } = saved;
  for (const { step, event } of saved.changed)
    await refreshStepMessages(deps.db, sender, step, event, deps.log);
  const send: number[] = [];
  const workspace = await findWorkspace(deps.db, teamId);
  if (saved.supportAsked && workspace) {
    const id = await queueSupportRequest(deps.db, workspace, checkin, group, now);
    if (id) send.push(id);
  }
  for (const step of saved.created) {
    if (step.owner_id === userId) continue;
    const id = await queueAssignment(deps.db, step, now);
    if (id) send.push(id);
  }
  send.push(...(await queueReports(deps.db, teamId, now, deps.log, checkin)));
  if (send.length > 0) {
    await deliverDue(deps.db, sender, queuedMessageStillWanted(deps.db), now, deps.log, { ids: send });
  }
  await refreshCheckinMessages(deps.db, sender, checkin, group, deps.log);
  await tellUser(
    { client, userId, channelId },
    checkinSavedText(checkin, group, saved.changed.length, saved.created, saved.firstAnswer),
  );
  const directory = directoryFor(slack);
  const people = new Set([userId, ...saved.created.map((s) => s.owner_id)]);
  for (const person of people) deps.homes.request(deps, client, directory, teamId, person);
}
