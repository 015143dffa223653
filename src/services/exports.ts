import type { Db } from '../db/database.js';
import { checkinHistory, decisionHistory, stepHistory } from '../db/exports.js';
import { indicatorValueHistory } from '../db/indicators.js';
import { findWorkspace } from '../db/workspaces.js';
import { toCsv } from './csv.js';
import { localDate, timeZoneOf } from './time.js';

export interface ExportFile {
  filename: string;
  title: string;
  content: Buffer;
}

/**
 * The coalition's records as CSV files: action steps with their history, check-ins, decisions with votes,
 * and every value given for the shared indicators (a corrected one too, beside the value that stands).
 */
export async function exportFiles(db: Db, teamId: string, now: Date): Promise<ExportFile[]> {
  const day = localDate(now, timeZoneOf((await findWorkspace(db, teamId))?.default_tz));
  const [steps, checkins, decisions, indicators] = await Promise.all([
    stepHistory(db, teamId),
    checkinHistory(db, teamId),
    decisionHistory(db, teamId),
    indicatorValueHistory(db, teamId),
  ]);
  const file = (name: string, title: string, rows: readonly Record<string, unknown>[], header: string[]) => ({
    filename: `concert-${name}-${day}.csv`,
    title: `${title} (${day})`,
    content: toCsv(
      header,
      rows.map((row) => header.map((column) => row[column])),
    ),
  });
  return [
    file('action-steps', 'Action steps and their history', steps, [
      'step_id',
      'title',
      'details',
      'owner_id',
      'created_by',
      'work_group',
      'source',
      'status',
      'first_due_date',
      'due_date',
      'event',
      'event_by',
      'event_at',
      'old_due_date',
      'new_due_date',
      'note',
    ]),
    file('check-ins', 'Check-ins', checkins, [
      'id',
      'work_group',
      'round_date',
      'user_id',
      'status',
      'late',
      'intention',
      'actions_taken',
      'assessment',
      'assessment_note',
      'support_needed',
      'answered_at',
      'skipped_at',
    ]),
    file('decisions', 'Decisions and votes', decisions, [
      'proposal_id',
      'title',
      'kind',
      'proposer_id',
      'status',
      'outcome',
      'opened_at',
      'closes_at',
      'closed_at',
      'voter_id',
      'position',
      'reason',
      'voted_at',
      'position_text',
      'final_text',
      'block_ground',
      'outcome_statement',
      'what_happens_next',
      'next_steps',
      'next_steps_done',
      'stage',
      'group_decision_id',
      'gap_filled_by',
    ]),
    file('indicators', 'Shared indicators and their values', indicators, [
      'indicator_id',
      'indicator',
      'unit',
      'frequency',
      'indicator_status',
      'work_group',
      'period_start',
      'value',
      'reported_by',
      'reported_at',
      'current_value',
    ]),
  ];
}
