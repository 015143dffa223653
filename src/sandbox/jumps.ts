import { membersOfChannel } from '../db/checkins.js';
import type { Db } from '../db/database.js';
import { soonestClosingProposal } from '../db/proposals.js';
import { listActiveWorkGroups } from '../db/work-groups.js';
import { scheduleOf } from '../services/checkin-rounds.js';
import { nextOpening } from '../services/checkin-schedule.js';

/** A moment the clock can jump to, and what happens then. */
export interface JumpTarget {
  at: Date;
  what: string;
}

/** The named jumps on the page; a missing one is a disabled button. */
export interface JumpTargets {
  /** The next moment any work group's round opens for anyone in it. */
  checkin: JumpTarget | undefined;
  /** The close of the open proposal that closes first. */
  proposal: JumpTarget | undefined;
}

export async function jumpTargets(db: Db, teamId: string, now: Date): Promise<JumpTargets> {
  let checkin: JumpTarget | undefined;
  for (const group of await listActiveWorkGroups(db, teamId)) {
    const members = await membersOfChannel(db, teamId, group.channel_id);
    if (members.length === 0) continue;
    const zones = group.tz_mode === 'member' ? members.map((m) => m.tz ?? group.tz) : [group.tz];
    const at = nextOpening(scheduleOf(group), [...new Set(zones)], now);
    if (at && (!checkin || at < checkin.at)) checkin = { at, what: `${group.name}’s check-in opens` };
  }
  const proposal = await soonestClosingProposal(db, teamId);
  return {
    checkin,
    proposal: proposal
      ? { at: proposal.closes_at, what: `the vote on “${proposal.title}” closes` }
      : undefined,
  };
}
