import type { Db } from '../db/database.js';
import { findProposalFromGroup, listStalledGroupDecisions } from '../db/partnership-endings.js';
import { postedMessageOf, updateProposal } from '../db/proposals.js';
import { findWorkGroup } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { isUnreachable } from './channel-reach.js';
import { queueMessage } from './outgoing.js';
import { lookUpBeforeGroupClose } from './partnership-endings.js';
import { applyDecision, type ClosingSlack, directoryOf } from './proposal-closing.js';
import { storedPeopleOnly } from './slack-directory.js';

/** How long after a work group agreed its Core proposal is still opened once what stopped it is fixed. */
const RETRY_DAYS = 30;
/** Most stalled decisions tried in one tick. */
const PER_TICK = 20;

/**
 * A work group agreed by consensus to end its partnership, but the Core's proposal could not open at the
 * close (the Core channel unreachable, nobody known in it): the group's thread and the backbone were told
 * then, once. Each proposals tick tries again, for RETRY_DAYS after the close, so the group's decision goes
 * to the Core (as the charter has its representatives present it) as soon as what stopped it is fixed; the
 * group's thread and the backbone channel are then told, once each. A try that fails again tells nobody
 * again: its reason is kept on the group's vote (`effect_error`). Queues what it opens for the tick's
 * sending; returns how many opened. One decision's failure never stops the others'.
 */
export async function retryStalledCoreOpenings(db: Db, slack: ClosingSlack, now: Date): Promise<number> {
  const since = new Date(now.getTime() - RETRY_DAYS * 24 * 3600_000);
  let opened = 0;
  for (const stalled of await listStalledGroupDecisions(db, since, PER_TICK)) {
    const teamId = stalled.team_id;
    try {
      // While the Core channel is still unset or out of reach, the try would fail as before: no lookups, no try.
      const workspace = await findWorkspace(db, teamId);
      const core = workspace?.core_channel_id;
      if (!core || (await isUnreachable(db, teamId, core))) continue;
      const directory = directoryOf(slack, teamId);
      // As at the close: a failed lookup is logged, and the opening goes on with what is stored.
      const links = await lookUpBeforeGroupClose(db, directory, stalled, now).catch((error) => {
        slack.log.warn(
          { err: error, teamId, proposalId: stalled.id },
          'could not look up in Slack before opening the Core’s proposal from a work group’s decision',
        );
        return new Map<string, string>();
      });
      const done = await db.transaction().execute(async (tx) => {
        // The effect is claimed only without an error on record; a new failure records its own.
        const cleared = await updateProposal(tx, teamId, stalled.id, { effect_error: null });
        const effect = await applyDecision(tx, cleared, now, slack.log, storedPeopleOnly(directory, links));
        if (!effect?.applied) return false;
        const [workspace, group, posted] = await Promise.all([
          findWorkspace(tx, teamId),
          findWorkGroup(tx, teamId, stalled.payload.workGroupId ?? 0),
          postedMessageOf(tx, teamId, stalled.id),
        ]);
        const core = await findProposalFromGroup(tx, teamId, stalled.id);
        if (!group || !core) return true;
        const data = { groupVote: stalled, group, core };
        await queueMessage(
          tx,
          {
            teamId,
            kind: 'partnership_core_opened',
            data: { ...data, where: 'thread' },
            to: stalled.channel_id,
            ...(posted?.message_ts ? { threadTs: posted.message_ts } : {}),
          },
          now,
        );
        if (workspace?.backbone_channel_id)
          await queueMessage(
            tx,
            {
              teamId,
              kind: 'partnership_core_opened',
              data: { ...data, where: 'backbone' },
              to: workspace.backbone_channel_id,
            },
            now,
          );
        return true;
      });
      if (done) opened++;
    } catch (error) {
      slack.log.warn(
        { err: error, teamId, proposalId: stalled.id },
        'could not try again to open the Core’s proposal from a work group’s decision',
      );
    }
  }
  return opened;
}
