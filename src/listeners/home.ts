import type { AllMiddlewareArgs } from '@slack/bolt';
import { listOpenStepsOf } from '../db/action-steps.js';
import { listAwaitingVote } from '../db/proposals.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { todayFor } from '../services/action-steps.js';
import { awayUntil, openCheckinsFor } from '../services/checkins.js';
import { figures } from '../services/follow-through.js';
import { maySetUp } from '../services/roles.js';
import type { SlackDirectory } from '../services/slack-directory.js';
import { summarizeWorkGroups } from '../services/work-groups.js';
import { headline } from '../views/digest.js';
import { homeView } from '../views/home.js';
import type { ListenerDeps } from './deps.js';

/** Renders and publishes one person's App Home; called when they open it and after changes they make. */
export async function publishHome(
  deps: ListenerDeps,
  client: AllMiddlewareArgs['client'],
  directory: SlackDirectory,
  teamId: string,
  userId: string,
): Promise<void> {
  const permission = await maySetUp(deps.db, directory, deps.adminIds, teamId, userId, deps.clock());
  const { roles } = permission;
  const workGroups = roles.isBackbone ? await summarizeWorkGroups(deps.db, teamId) : [];
  const backboneHeadline = roles.isBackbone
    ? headline(await figures(deps.db, teamId, deps.clock()))
    : undefined;
  const now = deps.clock();
  const [steps, groups, today, checkins, away, awaitingVote] = await Promise.all([
    listOpenStepsOf(deps.db, teamId, userId),
    listActiveWorkGroups(deps.db, teamId),
    todayFor(deps.db, teamId, userId, now),
    openCheckinsFor(deps.db, teamId, userId),
    awayUntil(deps.db, teamId, userId, now),
    listAwaitingVote(deps.db, teamId, userId, now),
  ]);
  await client.views.publish({
    user_id: userId,
    view: homeView({
      roles,
      maySetUp: permission.allowed,
      workGroups,
      steps,
      today,
      groupNames: new Map(groups.map((g) => [g.id, g.name])),
      checkins: checkins.filter((c) => c.opens_at !== null && c.opens_at.getTime() <= now.getTime()),
      awayUntil: away,
      awaitingVote,
      backboneHeadline,
    }),
  });
}
