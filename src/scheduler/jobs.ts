import type { WebClient } from '@slack/web-api';
import { DEFAULT_RETENTION_DAYS } from '../config.js';
import { type Db, refreshStatistics } from '../db/database.js';
import { pruneInteractionEffects } from '../db/interaction-effects.js';
import { pruneSlots } from '../db/scheduler-runs.js';
import type { Workspace } from '../db/schema.js';
import { pruneDeliveries } from '../db/slack-deliveries.js';
import { listSetUpWorkspaces } from '../db/workspaces.js';
import type { Logger } from '../logger.js';
import { planCheckins, queueReports } from '../services/checkin-rounds.js';
import { deleteAfterRetention } from '../services/data-deletion.js';
import { deliverDue } from '../services/delivery.js';
import { queueWeeklyDigest, queueWeeklyDigestCharts } from '../services/digest.js';
import { eachAlone } from '../services/isolation.js';
import { reconcileWorkspace } from '../services/membership.js';
import { planNudges } from '../services/nudges.js';
import { closeDueProposals, planProposalReminders } from '../services/proposal-closing.js';
import type { SlackDirectory } from '../services/slack-directory.js';
import { retryStalledCoreOpenings } from '../services/stalled-decisions.js';
import { queuedMessageStillWanted } from '../services/still-wanted.js';
import { webDirectory } from '../slack/web-directory.js';
import { WorkspaceClients } from '../slack/workspace-clients.js';

/** A scheduled job: when it runs (cron, UTC) and what it does at a given moment. */
export interface Job {
  readonly name: string;
  readonly cron: string;
  run(now: Date): Promise<void>;
}

export interface JobDeps {
  db: Db;
  /** The single-token mode's client and bot user, used for every workspace when `clients` is not given. */
  client: WebClient;
  botUserId: () => string | undefined;
  /** Each workspace's own client (OAuth mode). */
  clients?: WorkspaceClients;
  log: Logger;
  /** Days an uninstalled workspace's data is kept (configuration); DEFAULT_RETENTION_DAYS when not given. */
  retentionDays?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A directory for a workspace Concert has no client for: every call fails, saying so. */
function unreachableDirectory(teamId: string): SlackDirectory {
  const fail = () => Promise.reject(new Error(`no Slack client for workspace ${teamId}`));
  return {
    botUserId: undefined,
    userInfo: fail,
    channelMemberIds: fail,
    channelState: fail,
    ensureInChannel: fail,
    permalink: fail,
  };
}

export function jobs({ db, client, botUserId, clients: given, log, retentionDays }: JobDeps): Job[] {
  const clients = given ?? WorkspaceClients.single(client, botUserId);
  /** Every queued message goes with its own workspace's token. */
  const senders = (teamId: string) => clients.senderFor(teamId);
  /**
   * Each set-up workspace's directory, found before a sweep that reads Slack for several; a workspace whose
   * client cannot be had (no installation) gets one that fails each call, so only its own work fails.
   */
  const directories = async (): Promise<(teamId: string) => SlackDirectory> => {
    if (!given) {
      const directory = webDirectory(client, botUserId());
      return () => directory;
    }
    const found = new Map<string, SlackDirectory>();
    for (const workspace of await listSetUpWorkspaces(db)) {
      try {
        const slack = await clients.forTeam(workspace.team_id);
        found.set(workspace.team_id, webDirectory(slack.client, slack.botUserId));
      } catch (error) {
        log.warn({ err: error, teamId: workspace.team_id }, 'no Slack client for a workspace; it is skipped');
      }
    }
    return (teamId) => found.get(teamId) ?? unreachableDirectory(teamId);
  };
  /** Runs `work` for each set-up workspace on its own: one that fails is logged and the others go on. */
  const eachWorkspace = async (what: string, work: (workspace: Workspace) => Promise<void>) =>
    eachAlone(await listSetUpWorkspaces(db), work, log, (w) => ({ teamId: w.team_id }), what);
  return [
    {
      // Every quarter hour: queue the nudges and escalations now due, then send whatever is queued and due
      // (new rows, and earlier sends that failed and wait for their retry).
      name: 'nudges',
      cron: '*/15 * * * *',
      async run(now) {
        let queued = 0;
        await eachWorkspace('planning nudges', async (workspace) => {
          queued += await planNudges(db, workspace, now, log);
        });
        const sent = await deliverDue(db, senders, queuedMessageStillWanted(db), now, log);
        if (queued + sent.sent + sent.retrying + sent.failed > 0) log.info({ queued, ...sent }, 'nudges');
      },
    },
    {
      // Every five minutes: members whose check-in time has come are asked, the silent reminded, closed
      // rounds summed up in their group's channel with each report in the thread.
      name: 'checkins',
      cron: '*/5 * * * *',
      async run(now) {
        const sender = senders;
        const stillWanted = queuedMessageStillWanted(db);
        let queued = 0;
        let reports = 0;
        await eachWorkspace('planning check-ins', async (workspace) => {
          queued += await planCheckins(db, workspace, now, log);
        });
        const sent = await deliverDue(db, sender, stillWanted, now, log);
        // Reports follow their summary, whose ts they need: queued once it is sent.
        await eachWorkspace('queueing check-in reports', async (workspace) => {
          reports += (await queueReports(db, workspace.team_id, now, log)).length;
        });
        const replies = reports > 0 ? await deliverDue(db, sender, stillWanted, now, log) : undefined;
        if (queued + reports > 0) log.info({ queued, reports, ...sent, replies }, 'check-ins');
      },
    },
    {
      // Every minute: close proposals whose deadline has passed (once, on whichever instance gets there
      // first), queue the reminder to those who have not voted, and send what is queued.
      name: 'proposals',
      cron: '* * * * *',
      async run(now) {
        const sender = senders;
        const stillWanted = queuedMessageStillWanted(db);
        const directory = await directories();
        const closed = await closeDueProposals(db, { directory, sender, log, stillWanted }, now);
        const reopened = await retryStalledCoreOpenings(db, { directory, sender, log, stillWanted }, now);
        const reminders = await planProposalReminders(db, now, log);
        const sent = await deliverDue(db, sender, stillWanted, now, log);
        if (closed + reopened + reminders + sent.sent + sent.failed > 0)
          log.info({ closed, reopened, reminders, ...sent }, 'proposals');
      },
    },
    {
      // The backbone's weekly digest, once its day and time have come in the workspace's time zone.
      name: 'digest',
      cron: '*/15 * * * *',
      async run(now) {
        const ids: number[] = [];
        await eachWorkspace('queueing the weekly digest', async (workspace) => {
          ids.push(...(await queueWeeklyDigest(db, workspace, now)));
        });
        await eachWorkspace('queueing the weekly digest’s charts', async (workspace) => {
          ids.push(...(await queueWeeklyDigestCharts(db, workspace, now)));
        });
        if (ids.length === 0) return;
        const sent = await deliverDue(db, senders, queuedMessageStillWanted(db), now, log, { ids });
        log.info({ ...sent }, 'weekly digest');
      },
    },
    {
      // Events can be missed (the app down, a channel renamed into a role, archived or left); once a day
      // Slack's answers are the truth. Each channel is reconciled on its own.
      name: 'reconcile-memberships',
      cron: '17 4 * * *',
      async run(now) {
        await eachWorkspace('reconciling memberships', async (workspace) => {
          const slack = await clients.forTeam(workspace.team_id);
          const directory = webDirectory(slack.client, slack.botUserId);
          const results = await reconcileWorkspace(db, directory, workspace.team_id, now, log);
          const drift = results.filter((r) => r.added.length + r.removed.length > 0 || r.problem);
          log.info({ teamId: workspace.team_id, channels: results.length, drift }, 'reconciled memberships');
        });
        await deliverDue(db, senders, queuedMessageStillWanted(db), now, log);
      },
    },
    {
      // The embedded database keeps no statistics of its own; on a server this only repeats autovacuum's work.
      name: 'statistics',
      cron: '37 4 * * *',
      async run() {
        await refreshStatistics(db);
      },
    },
    {
      // Once a day: the data of a workspace that uninstalled Concert, once its retention period is over.
      name: 'delete-after-retention',
      cron: '47 4 * * *',
      async run(now) {
        await deleteAfterRetention(db, now, retentionDays ?? DEFAULT_RETENTION_DAYS, log);
      },
    },
    {
      name: 'prune-bookkeeping',
      cron: '7 * * * *',
      async run(now) {
        // Slack stops retrying a delivery within minutes; a day is far beyond any redelivery.
        const deliveries = await pruneDeliveries(db, new Date(now.getTime() - DAY_MS));
        const slots = await pruneSlots(db, new Date(now.getTime() - 30 * DAY_MS));
        // A form stays open, and a message keeps its buttons, for days: a month outlasts any double click.
        const interactions = await pruneInteractionEffects(db, new Date(now.getTime() - 30 * DAY_MS));
        log.debug({ deliveries, slots, interactions }, 'pruned bookkeeping rows');
      },
    },
  ];
}
