import { sql } from 'kysely';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';
import * as foundation from '../../migrations/20261123000000_foundation.js';
import * as actionSteps from '../../migrations/20261123010000_action_steps.js';
import * as checkins from '../../migrations/20261123020000_checkins.js';
import * as proposals from '../../migrations/20261123030000_proposals.js';
import * as digest from '../../migrations/20261123040000_digest.js';
import * as proposalForms from '../../migrations/20261124000000_proposal_forms.js';
import * as slackLifecycle from '../../migrations/20261129000000_slack_lifecycle.js';
import * as interactionEffects from '../../migrations/20261130000000_interaction_effects.js';
import * as outboxUnconfirmed from '../../migrations/20261130010000_outbox_unconfirmed.js';
import * as outboxConversationOrder from '../../migrations/20261130020000_outbox_conversation_order.js';
import * as continuousSending from '../../migrations/20261130030000_continuous_sending.js';
import * as figuresAndTicks from '../../migrations/20261130041400_figures_and_ticks.js';
import * as installations from '../../migrations/20261130060000_installations.js';
import * as figuresFromRows from '../../migrations/20261130071000_figures_from_rows.js';
import * as recordsAddress from '../../migrations/20261130100000_records_address.js';
import * as enterpriseInstalls from '../../migrations/20261130110000_enterprise_installs.js';
import * as indicators from '../../migrations/20261130111000_indicators.js';
import * as chartFiles from '../../migrations/20261130111100_chart_files.js';
import * as concernsAndAmendments from '../../migrations/20261130120000_concerns_and_amendments.js';
import * as blockGrounds from '../../migrations/20261130130000_block_grounds.js';
import * as extensionsAndStatements from '../../migrations/20261130140000_extensions_and_statements.js';
import * as joinRequests from '../../migrations/20261130150000_join_requests.js';
import * as partnershipEndings from '../../migrations/20261130160000_partnership_endings.js';
import * as oneOpenEndingPerGroup from '../../migrations/20261130165000_one_open_ending_per_group.js';
import * as pendingCheckins from '../../migrations/20261130170000_pending_checkins.js';
import * as roundReportsQueued from '../../migrations/20261130180000_round_reports_queued.js';
import * as stepEventGroups from '../../migrations/20261130200000_step_event_groups.js';
import type { Db } from './database.js';

/**
 * Every migration, by its file name. Listed by hand rather than read from the folder so the same import
 * works from source (tests) and compiled; a test checks that no file in migrations/ is missing here.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '20261123000000_foundation': foundation,
  '20261123010000_action_steps': actionSteps,
  '20261123020000_checkins': checkins,
  '20261123030000_proposals': proposals,
  '20261123040000_digest': digest,
  '20261124000000_proposal_forms': proposalForms,
  '20261129000000_slack_lifecycle': slackLifecycle,
  '20261130000000_interaction_effects': interactionEffects,
  '20261130010000_outbox_unconfirmed': outboxUnconfirmed,
  '20261130020000_outbox_conversation_order': outboxConversationOrder,
  '20261130030000_continuous_sending': continuousSending,
  '20261130041400_figures_and_ticks': figuresAndTicks,
  '20261130060000_installations': installations,
  '20261130071000_figures_from_rows': figuresFromRows,
  '20261130100000_records_address': recordsAddress,
  '20261130110000_enterprise_installs': enterpriseInstalls,
  '20261130111000_indicators': indicators,
  '20261130111100_chart_files': chartFiles,
  '20261130120000_concerns_and_amendments': concernsAndAmendments,
  '20261130130000_block_grounds': blockGrounds,
  '20261130140000_extensions_and_statements': extensionsAndStatements,
  '20261130150000_join_requests': joinRequests,
  '20261130160000_partnership_endings': partnershipEndings,
  '20261130165000_one_open_ending_per_group': oneOpenEndingPerGroup,
  '20261130170000_pending_checkins': pendingCheckins,
  '20261130180000_round_reports_queued': roundReportsQueued,
  '20261130200000_step_event_groups': stepEventGroups,
};

const provider: MigrationProvider = { getMigrations: async () => ({ ...migrations }) };

export function migrator(db: Db): Migrator {
  // On Postgres, Kysely serializes concurrent migrators with an advisory lock, so instances may start together.
  return new Migrator({ db, provider });
}

function unwrap({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    const where = failed ? ` in ${failed.migrationName}` : '';
    throw new Error(`Migration failed${where}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/**
 * Whether the database has exactly the migrations this code knows, applied: one query, where the migrator
 * takes its lock and checks its tables in several (most of a warm start of the embedded database). Any
 * other answer (no table yet, one pending, or one this code does not know) goes to the migrator.
 */
async function upToDate(db: Db): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    const known = Object.keys(migrations);
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** Applies every pending migration; returns the names applied. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  if (await upToDate(db)) return [];
  return unwrap(await migrator(db).migrateToLatest());
}

/** Reverts the latest migration; returns its name. */
export async function migrateDown(db: Db): Promise<string[]> {
  return unwrap(await migrator(db).migrateDown());
}
