import type { Db } from '../db/database.js';
import { takeOnce } from '../db/interaction-effects.js';
import type { Workspace } from '../db/schema.js';
import {
  RecordsAddressTaken,
  recordsAddressTaken,
  saveWorkspaceSettings,
  type WorkspaceSettings,
} from '../db/workspaces.js';
import { channelAccessProblem } from './channel-access.js';
import { type Once, REPEAT, type Repeat } from './once.js';
import type { SlackDirectory } from './slack-directory.js';
import { isValidTimeZone, parseClockTime } from './time.js';
import { type FieldErrors, hasErrors, type Validated } from './validation.js';

export type SetupField =
  | 'coreChannel'
  | 'backboneChannel'
  | 'defaultTz'
  | 'workdayStart'
  | 'workdayEnd'
  | 'workingDays'
  | 'nudgeRepeatDays'
  | 'nudgeMaxOverdue'
  | 'escalateAfterDays'
  | 'consensusQuorum'
  | 'standAsideLimit'
  | 'digestWeekday'
  | 'digestTime'
  | 'recordsShowVoters'
  | 'recordsAddress';

export interface SetupInput {
  coreChannelId: string | null;
  backboneChannelId: string | null;
  defaultTz: string | null;
  workdayStart: string | null;
  workdayEnd: string | null;
  workingDays: readonly number[];
  nudgeRepeatDays?: string | null;
  nudgeMaxOverdue?: string | null;
  escalateAfterDays?: string | null;
  consensusQuorum?: string | null;
  standAsideLimit?: string | null;
  digestWeekday?: string | null;
  digestTime?: string | null;
  recordsShowVoters?: string | null;
  recordsAddress?: string | null;
  /** The Enterprise Grid org the request came from, if any (not a field of the form). */
  enterpriseId?: string | null;
}

/** A records address: 3 to 40 lowercase letters, digits and inner hyphens (it is a part of a URL path). */
const RECORDS_ADDRESS = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/;

/** A whole number from a select, within bounds; the default when the field was left as it was. */
function count(
  value: string | null | undefined,
  min: number,
  max: number,
  fallback: number,
): number | undefined {
  if (value === null || value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** Quorums offered: the share of eligible voters who must vote, as exact fractions. */
export const QUORUM_CHOICES: readonly string[] = ['1/2', '3/5', '2/3', '3/4', '4/5', '1/1'];
/** Stand-aside limits offered: more than this share of the votes cast standing aside means no consensus. */
export const STAND_ASIDE_CHOICES: readonly string[] = ['0/1', '1/5', '1/4', '1/3', '1/2'];

/** One of the offered fractions; the default when the field was left as it was. */
function choice(
  value: string | null | undefined,
  choices: readonly string[],
  fallback: string,
): string | undefined {
  if (value === null || value === undefined || value === '') return fallback;
  return choices.includes(value) ? value : undefined;
}

const ADDRESS_TAKEN = 'Another coalition on this Concert server has this address. Choose another.';

export function validateSetup(input: SetupInput): Validated<SetupField, WorkspaceSettings> {
  const errors: FieldErrors<SetupField> = {};
  if (!input.coreChannelId) errors.coreChannel = 'Choose the channel where the Core meets and votes.';
  if (!input.backboneChannelId) errors.backboneChannel = 'Choose the backbone organization’s channel.';
  if (input.coreChannelId && input.coreChannelId === input.backboneChannelId) {
    errors.backboneChannel = 'The backbone needs its own channel, separate from the Core’s.';
  }
  if (!input.defaultTz || !isValidTimeZone(input.defaultTz)) errors.defaultTz = 'Choose a time zone.';
  const start = parseClockTime(input.workdayStart);
  const end = parseClockTime(input.workdayEnd);
  if (start === undefined) errors.workdayStart = 'Choose when the working day starts.';
  if (end === undefined) errors.workdayEnd = 'Choose when the working day ends.';
  if (start !== undefined && end !== undefined && end <= start) {
    errors.workdayEnd = 'The working day has to end after it starts.';
  }
  const days = [...new Set(input.workingDays)].filter((d) => d >= 1 && d <= 7).sort();
  if (days.length === 0) errors.workingDays = 'Choose at least one working day.';
  const nudgeRepeatDays = count(input.nudgeRepeatDays, 1, 7, 2);
  const nudgeMaxOverdue = count(input.nudgeMaxOverdue, 0, 5, 3);
  const escalateAfterDays = count(input.escalateAfterDays, 1, 14, 3);
  if (nudgeRepeatDays === undefined) errors.nudgeRepeatDays = 'Choose every 1 to 7 days.';
  if (nudgeMaxOverdue === undefined) errors.nudgeMaxOverdue = 'Choose from none to 5 times.';
  if (escalateAfterDays === undefined) errors.escalateAfterDays = 'Choose from 1 to 14 days overdue.';
  const consensusQuorum = choice(input.consensusQuorum, QUORUM_CHOICES, '2/3');
  const standAsideLimit = choice(input.standAsideLimit, STAND_ASIDE_CHOICES, '1/3');
  if (consensusQuorum === undefined) errors.consensusQuorum = 'Choose how many of the Core must vote.';
  if (standAsideLimit === undefined) errors.standAsideLimit = 'Choose how many may stand aside.';
  const digestWeekday = count(input.digestWeekday, 1, 7, 1);
  const digestMinute = input.digestTime ? parseClockTime(input.digestTime) : 8 * 60;
  if (digestWeekday === undefined) errors.digestWeekday = 'Choose the digest’s day.';
  if (digestMinute === undefined) errors.digestTime = 'Choose the digest’s time.';
  const showVoters = choice(input.recordsShowVoters, ['yes', 'no'], 'no');
  if (showVoters === undefined) errors.recordsShowVoters = 'Choose whether the records name the voters.';
  const recordsAddress = (input.recordsAddress ?? '').trim().toLowerCase() || null;
  if (recordsAddress && !RECORDS_ADDRESS.test(recordsAddress))
    errors.recordsAddress =
      'Use 3 to 40 lowercase letters, digits and hyphens, like riverside-coalition, or leave it empty.';
  if (hasErrors(errors)) return { ok: false, errors };
  return {
    ok: true,
    value: {
      coreChannelId: input.coreChannelId as string,
      backboneChannelId: input.backboneChannelId as string,
      defaultTz: input.defaultTz as string,
      workdayStartMinute: start as number,
      workdayEndMinute: end as number,
      workingDays: days,
      nudgeRepeatDays: nudgeRepeatDays as number,
      nudgeMaxOverdue: nudgeMaxOverdue as number,
      escalateAfterDays: escalateAfterDays as number,
      consensusQuorum: consensusQuorum as string,
      standAsideLimit: standAsideLimit as string,
      digestWeekday: digestWeekday as number,
      digestMinute: digestMinute as number,
      recordsShowVoters: showVoters === 'yes',
      recordsAddress,
      enterpriseId: input.enterpriseId ?? null,
    },
  };
}

/**
 * Checks the form, makes sure the app can follow both channels, then saves. Membership of the chosen
 * channels is reconciled afterwards by the caller, since it can take longer than Slack waits for an answer.
 * With `once` (the form's view), the same form submitted again saves and announces nothing: `repeat`.
 */
export async function saveSetup(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  userId: string,
  input: SetupInput,
  now: Date,
  once?: Once,
): Promise<Validated<SetupField, Workspace> | (Repeat & { errors?: undefined })> {
  const checked = validateSetup(input);
  if (!checked.ok) return checked;
  const settings = checked.value;
  const errors: FieldErrors<SetupField> = {};
  const [core, backbone] = await Promise.all([
    channelAccessProblem(directory, settings.coreChannelId),
    channelAccessProblem(directory, settings.backboneChannelId),
  ]);
  if (core) errors.coreChannel = core;
  if (backbone) errors.backboneChannel = backbone;
  if (settings.recordsAddress && (await recordsAddressTaken(db, teamId, settings.recordsAddress)))
    errors.recordsAddress = ADDRESS_TAKEN;
  if (hasErrors(errors)) return { ok: false, errors };
  try {
    return await db.transaction().execute(async (tx) => {
      if (!(await takeOnce(tx, once, now))) return REPEAT;
      return { ok: true as const, value: await saveWorkspaceSettings(tx, teamId, settings, userId, now) };
    });
  } catch (error) {
    // Another coalition chose the same address at the same moment: its save came first.
    if (error instanceof RecordsAddressTaken) return { ok: false, errors: { recordsAddress: ADDRESS_TAKEN } };
    throw error;
  }
}
