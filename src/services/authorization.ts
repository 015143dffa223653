import type { Db } from '../db/database.js';
import { findPerson } from '../db/people.js';
import type { Person } from '../db/schema.js';
import { PERSON_MAX_AGE_MS, personFor } from './people.js';
import type { SlackDirectory } from './slack-directory.js';

/**
 * Who may do what in Concert, in one place. Two questions are asked of every request a person makes:
 *
 * 1. **May this account act through Concert at all?** (`standingOf`, asked by one middleware before any
 *    listener runs.) Roles are people in channels: "its members are the channel's human members"
 *    (DESIGN.md, *The coalition in Slack terms*). So never a bot (another app's, or Concert's own), never an
 *    account Slack deactivated (DESIGN.md, *Slack's lifecycle*: "people are deactivated … it stops what can
 *    no longer work"), and never a person of another workspace speaking in this one's name.
 *
 * 2. **May this person do this?** Each rule lives beside the service that acts, and follows the roles
 *    table of DESIGN.md (the coalition's charter):
 *
 * | interaction | who may | rule |
 * |---|---|---|
 * | `/concert setup`, *Concert settings*, the setup form | admins/owners and `CONCERT_ADMIN_IDS` before setup, then the backbone | `maySetUp` (roles.ts) |
 * | `/concert group`, *Add* or *Edit* a work group, its form; `/concert indicators`, *Add* or *Edit* an indicator, its form; `/concert nudge`, `digest`, `export`; the digest's *Post* and *Nudge everyone overdue* | the backbone | `mayActAsBackbone` (roles.ts) |
 * | `/concert help`, `/concert decisions`, `/commit`, *Make an action step*, `/commit list`, `/checkin away`/`back` | any person of a set-up workspace (each about themselves) | standing alone |
 * | *Done*, *New date*, *Drop*, *Need support* and their forms | the step's owner, whoever made it, the backbone | `mayChangeStep` (action-steps.ts) |
 * | *Open* (a step's details, read-only) | those who may change it, and the members of its work group | `mayViewStep` (action-steps.ts) |
 * | `/checkin`, *Start* or *Edit check-in*, *Skip this week*, the check-in form | the check-in's own member, in the group's channel | checkins.ts (`currentTarget`, `skipCheckin`, `submitCheckin`) |
 * | `/propose` and its forms | by kind: backbone (add work group), any Core member (change backbone, other), a group's representatives (end partnership) | `mayProposeKind` (proposals.ts) |
 * | *Support*, *Stand aside*, *Block*, a reason | the Core members when the proposal opened (a snapshot) | `mayVote` (votes.ts) |
 * | *Close the vote now* / *Withdraw* | the backbone / the proposer | `closeByHand` (proposal-closing.ts) |
 * | *Raise a concern* and its form | the Core (its channel's members), while the vote is open | `mayRaiseConcern` (concerns.ts) |
 * | *Mark resolved* on a concern | whoever raised it | `resolveConcern` (concerns.ts) |
 * | *Amend the text*, *Extend the deadline* and their forms | the proposer or the backbone, while the vote is open | `mayAmend` (concerns.ts), `mayExtend` (extensions.ts) |
 * | *Earlier texts* | the Core and the backbone | `mayReadEarlierTexts` (concerns.ts) |
 * | *Keep my position* | a voter whose position stands on an earlier text | `confirmPosition` (concerns.ts) |
 * | *Outcome statement* and its form | the proposer or the backbone, once the vote has closed, once | `mayWriteStatement` (outcome-statements.ts) |
 * | `/concert join` and its form | any person of a set-up workspace | `requestToJoin` (join-requests.ts) |
 * | *Propose adding this group* | the backbone | `mayProposeFromRequest` (join-requests.ts) |
 * | App Home | everyone their own; the backbone's dashboard only for the backbone | `rolesOf` (roles.ts) |
 *
 * Every refusal is an ephemeral message that says who may (DESIGN.md: "Every refusal is an ephemeral
 * message that says who may do it").
 */
export type Standing =
  | { ok: true }
  | {
      ok: false;
      /** `bot`: an app, not a person; `deactivated`: Slack deactivated the account; `other-workspace`: the person belongs to another workspace than the request's. */
      reason: 'bot' | 'deactivated' | 'other-workspace';
    };

/**
 * Whether `userId` may act through Concert in workspace `teamId` at all (rule 1 above). `userTeamId` is the
 * workspace Slack says the person belongs to, where the request names it. Reads the person as Slack last
 * described them (a `user_change` updates that at once; otherwise users.info at most a day old); a person
 * Slack does not know here is left to the role checks, which find them in no channel. Throws only when
 * the database cannot be reached: see `knownPerson` for Slack. `read` is the person as already read from
 * the database with the request's other work (one round trip before the ack), when it was.
 */
export async function standingOf(
  db: Db,
  directory: SlackDirectory,
  request: { teamId: string; userId: string; userTeamId?: string | undefined },
  now: Date,
  read?: { person: Person | undefined },
): Promise<Standing> {
  const { teamId, userId, userTeamId } = request;
  if (userTeamId && userTeamId !== teamId) return { ok: false, reason: 'other-workspace' };
  if (userId === directory.botUserId || userId === 'USLACKBOT') return { ok: false, reason: 'bot' };
  const person = await knownPerson(db, directory, teamId, userId, now, read);
  if (person?.is_bot) return { ok: false, reason: 'bot' };
  if (person?.deleted || person?.deactivated_at) return { ok: false, reason: 'deactivated' };
  return { ok: true };
}

/** How long a request waits for users.info before going on with what Concert knew: well inside Slack's 3 s. */
export const LOOKUP_WAIT_MS = 1_000;

/**
 * The person as last known, asking Slack when the copy is missing or more than a day old, but never
 * holding a request up for it: when Slack is slow or failing, the cached copy (or none) answers, and the
 * lookup still completes in the background (its result is kept for the next request).
 */
async function knownPerson(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  now: Date,
  read?: { person: Person | undefined },
): Promise<Person | undefined> {
  const cached = read ? read.person : await findPerson(db, teamId, userId);
  if (cached && now.getTime() - cached.refreshed_at.getTime() < PERSON_MAX_AGE_MS) return cached;
  const fresh = personFor(db, directory, teamId, userId, now).catch(() => cached);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), LOOKUP_WAIT_MS);
  });
  try {
    return (await Promise.race([fresh, waited])) ?? cached;
  } finally {
    clearTimeout(timer);
  }
}
