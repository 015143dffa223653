import type { Db } from '../db/database.js';
import { findPerson, upsertPerson } from '../db/people.js';
import type { Person } from '../db/schema.js';
import { personDeactivated, personReactivated } from './deactivation.js';
import type { SlackDirectory, SlackUser } from './slack-directory.js';

/** users.info answers change rarely (a name, a time zone on travel); a day keeps calls low and data fresh. */
export const PERSON_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The person as Slack last described them, asking Slack again when the cached copy is missing or stale. */
export async function personFor(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  now: Date,
  maxAgeMs = PERSON_MAX_AGE_MS,
): Promise<Person | undefined> {
  const cached = await findPerson(db, teamId, userId);
  if (cached && now.getTime() - cached.refreshed_at.getTime() < maxAgeMs) return cached;
  const user = await directory.userInfo(userId);
  if (!user) return cached;
  return rememberPerson(db, teamId, user, directory.botUserId, now);
}

/**
 * Keeps what Slack says of a person (users.info, or a `user_change` event). A deactivation or a
 * reactivation Concert had not seen yet takes effect here: see `personDeactivated`.
 */
export async function rememberPerson(
  db: Db,
  teamId: string,
  user: SlackUser,
  botUserId: string | undefined,
  now: Date,
): Promise<Person> {
  const person = await upsertPerson(db, {
    team_id: teamId,
    user_id: user.id,
    name: user.name,
    tz: user.tz,
    is_bot: user.isBot || user.id === botUserId,
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    deleted: user.deleted,
    refreshed_at: now,
  });
  if (person.deleted && !person.is_bot && !person.deactivated_at) await personDeactivated(db, person, now);
  else if (!person.deleted && person.deactivated_at) await personReactivated(db, person);
  return person;
}

/** Only people count as coalition members: never bots (this app included), never deactivated accounts. */
export async function isCountedPerson(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  now: Date,
): Promise<boolean> {
  if (userId === directory.botUserId || userId === 'USLACKBOT') return false;
  const person = await personFor(db, directory, teamId, userId, now);
  return person !== undefined && !person.is_bot && !person.deleted;
}
