import type { WebClient } from '@slack/web-api';
import type { Db } from '../db/database.js';
import { pruneSlots } from '../db/scheduler-runs.js';
import { pruneDeliveries } from '../db/slack-deliveries.js';
import { listSetUpWorkspaces } from '../db/workspaces.js';
import type { Logger } from '../logger.js';
import { reconcileWorkspace } from '../services/membership.js';
import { webDirectory } from '../slack/web-directory.js';

/** A scheduled job: when it runs (cron, UTC) and what it does at a given moment. */
export interface Job {
  readonly name: string;
  readonly cron: string;
  run(now: Date): Promise<void>;
}

export interface JobDeps {
  db: Db;
  client: WebClient;
  botUserId: () => string | undefined;
  log: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function jobs({ db, client, botUserId, log }: JobDeps): Job[] {
  return [
    {
      // Events can be missed (the app down, a channel renamed into a role); once a day Slack's list is the truth.
      name: 'reconcile-memberships',
      cron: '17 4 * * *',
      async run(now) {
        const directory = webDirectory(client, botUserId());
        for (const workspace of await listSetUpWorkspaces(db)) {
          const results = await reconcileWorkspace(db, directory, workspace.team_id, now);
          const drift = results.filter((r) => r.added.length + r.removed.length > 0);
          log.info({ teamId: workspace.team_id, channels: results.length, drift }, 'reconciled memberships');
        }
      },
    },
    {
      name: 'prune-bookkeeping',
      cron: '7 * * * *',
      async run(now) {
        // Slack stops retrying a delivery within minutes; a day is far beyond any redelivery.
        const deliveries = await pruneDeliveries(db, new Date(now.getTime() - DAY_MS));
        const slots = await pruneSlots(db, new Date(now.getTime() - 30 * DAY_MS));
        log.debug({ deliveries, slots }, 'pruned bookkeeping rows');
      },
    },
  ];
}
