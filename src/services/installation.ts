import type { Db } from '../db/database.js';
import { deleteInstallation } from '../db/installations.js';
import { cancelQueuedFor } from '../db/outbox.js';
import { markInstalled, markUninstalled, workspacesOfOrg } from '../db/workspaces.js';

/**
 * Slack's answers that mean the bot token no longer works for the workspace (Slack's docs: the app was
 * uninstalled, the token revoked or expired, or the workspace deleted). No call will succeed again until
 * the app is installed anew, so nothing is retried. Not `not_authed`: that is a call made with no token at
 * all, Concert's own mistake, which must never cost a workspace its installation.
 */
const TOKEN_GONE = new Set([
  'invalid_auth',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'team_not_found',
  // OAuth mode: the workspace has no installation, or Slack refused to refresh its rotating token.
  'not_installed',
  'invalid_refresh_token',
]);

export function isTokenGone(slackError: string): boolean {
  return TOKEN_GONE.has(slackError);
}

/**
 * The app was uninstalled from a workspace, or its bot token revoked (`app_uninstalled`, `tokens_revoked`,
 * or a call answered as above): every send for it stops at once, what is queued is cancelled with the
 * reason, and its scheduled jobs skip it. In OAuth mode its installation, and so its tokens, is deleted: only
 * a new install brings it back. Its data is kept. Returns how many queued messages were stopped.
 */
export async function workspaceUninstalled(
  db: Db,
  teamId: string,
  reason: string,
  now: Date,
): Promise<number> {
  await markUninstalled(db, teamId, reason, now);
  await deleteInstallation(db, teamId);
  return cancelQueuedFor(db, teamId, reason);
}

/**
 * An Enterprise Grid org-wide install was removed (or its token revoked): the org's installation is deleted
 * and every workspace of the org Concert knows stops as `workspaceUninstalled` says, each on its own.
 * Returns how many queued messages were stopped.
 */
export async function orgUninstalled(
  db: Db,
  enterpriseId: string,
  reason: string,
  now: Date,
): Promise<number> {
  let stopped = 0;
  for (const teamId of await workspacesOfOrg(db, enterpriseId)) {
    await markUninstalled(db, teamId, reason, now);
    stopped += await cancelQueuedFor(db, teamId, reason);
  }
  await deleteInstallation(db, enterpriseId);
  return stopped;
}

/** The bot token works for the workspace (checked at start): sends and jobs resume. */
export async function workspaceInstalled(db: Db, teamId: string): Promise<boolean> {
  return markInstalled(db, teamId);
}
