import type { SlackDirectory } from './slack-directory.js';

/**
 * The app must be in a channel to hear who joins and leaves it. Public channels it joins itself; a private
 * channel needs an invitation, and the answer says how to give one.
 */
export async function channelAccessProblem(
  directory: SlackDirectory,
  channelId: string,
): Promise<string | undefined> {
  const access = await directory.ensureInChannel(channelId);
  switch (access.kind) {
    case 'member':
    case 'joined':
      return undefined;
    case 'needs-invite':
      return 'Concert can’t see this private channel yet. Type /invite @Concert in it, then try again.';
    case 'not-found':
      return 'That channel can’t be found. It may have been archived or deleted.';
  }
}
