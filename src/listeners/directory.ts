import type { AllMiddlewareArgs } from '@slack/bolt';
import type { SlackDirectory } from '../services/slack-directory.js';
import { webDirectory } from '../slack/web-directory.js';

export function directoryFor({
  client,
  context,
}: Pick<AllMiddlewareArgs, 'client' | 'context'>): SlackDirectory {
  return webDirectory(client, context.botUserId);
}

export function teamIdOf({ context, body }: Pick<AllMiddlewareArgs, 'context'> & { body: unknown }): string {
  const b = body as { team_id?: string; team?: { id?: string } | null; user?: { team_id?: string } };
  const teamId = context.teamId ?? b.team_id ?? b.team?.id ?? b.user?.team_id;
  if (!teamId) throw new Error('Slack sent a request without a workspace');
  return teamId;
}
