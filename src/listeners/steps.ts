import type { AllMiddlewareArgs, RespondFn } from '@slack/bolt';
import type { ActionStep, ActionStepEvent } from '../db/schema.js';
import { findWorkspace } from '../db/workspaces.js';
import { todayFor } from '../services/action-steps.js';
import { groupNameFor, refreshStepMessages } from '../services/nudges.js';
import { webSender } from '../slack/web-sender.js';
import { outcomeMessage, supportRequestMessage } from '../views/action-steps.js';
import type { ListenerDeps } from './deps.js';
import { directoryFor } from './directory.js';

type Slack = Pick<AllMiddlewareArgs, 'client' | 'context'>;

export interface StepOrigin {
  /** The ephemeral message the button was on, to replace in place; DMs and App Home update themselves. */
  respond?: RespondFn | undefined;
}

/**
 * Everything that follows a change to a step: messages that offered its buttons are brought up to date,
 * a support request reaches the backbone, the people concerned see it on App Home, and an ephemeral list
 * the button was on shows what happened.
 */
export async function afterStepChange(
  deps: ListenerDeps,
  slack: Slack,
  teamId: string,
  actorId: string,
  step: ActionStep,
  event: ActionStepEvent,
  origin: StepOrigin,
): Promise<void> {
  const { client } = slack;
  await refreshStepMessages(deps.db, webSender(client), step, event, deps.log);
  const today = await todayFor(deps.db, teamId, actorId, deps.clock());
  if (event.kind === 'support_requested') {
    const workspace = await findWorkspace(deps.db, teamId);
    if (workspace?.backbone_channel_id) {
      const message = supportRequestMessage(step, event, today, await groupNameFor(deps.db, step));
      await client.chat.postMessage({
        channel: workspace.backbone_channel_id,
        ...message,
        unfurl_links: false,
      });
    }
  }
  if (origin.respond) await origin.respond({ replace_original: true, ...outcomeMessage(step, event, today) });
  const directory = directoryFor(slack);
  const people = new Set([actorId, step.owner_id]);
  for (const person of people) deps.homes.request(deps, client, directory, teamId, person);
}
