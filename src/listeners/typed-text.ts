import type { AllMiddlewareArgs } from '@slack/bolt';
import { personFor } from '../services/people.js';
import { readableText, unnamedMentions } from '../views/text.js';
import type { ListenerDeps } from './deps.js';
import { directoryFor } from './directory.js';

/** Names looked up for one text: a few users.info calls at most, since a form's trigger_id lives 3 s. */
const NAMES_LOOKED_UP = 5;

/**
 * What Slack sent with its markup (a slash command's text, a message's), as the person typed it: `@here`,
 * `@food-team`, `@Cora`, never a live mention. A mention Slack sent without a name is named from the
 * people Concert knows, asking Slack for a few; one that cannot be named reads as its ID.
 */
export async function typedText(
  deps: ListenerDeps,
  slack: Pick<AllMiddlewareArgs, 'client' | 'context'>,
  teamId: string,
  text: string,
): Promise<string> {
  const directory = directoryFor(slack);
  const now = deps.clock();
  const names = new Map<string, string>();
  for (const userId of unnamedMentions(text).slice(0, NAMES_LOOKED_UP)) {
    try {
      const person = await personFor(deps.db, directory, teamId, userId, now);
      if (person) names.set(userId, person.name);
    } catch (error) {
      deps.log.warn({ err: error, teamId, userId }, 'could not name a mention; it reads as its ID');
    }
  }
  return readableText(text, (userId) => names.get(userId));
}
