import type { AllMiddlewareArgs } from '@slack/bolt';
import { maySetUp } from '../services/roles.js';
import type { SlackDirectory } from '../services/slack-directory.js';
import { summarizeWorkGroups } from '../services/work-groups.js';
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
  await client.views.publish({
    user_id: userId,
    view: homeView({ roles, maySetUp: permission.allowed, workGroups }),
  });
}
