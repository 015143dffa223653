import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { IndicatorTables } from './indicator-schema.js';

/** Instants: written as Date (or now() by default), read back as Date. */
type Instant = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredInstant = ColumnType<Date, Date | string, Date | string>;

export interface WorkspacesTable {
  team_id: string;
  core_channel_id: string | null;
  backbone_channel_id: string | null;
  default_tz: Generated<string>;
  workday_start_minute: Generated<number>;
  workday_end_minute: Generated<number>;
  /** ISO weekdays, Monday = 1. */
  working_days: Generated<number[]>;
  set_up_by: string | null;
  set_up_at: Date | null;
  /** Days between overdue nudges. */
  nudge_repeat_days: Generated<number>;
  /** At most this many overdue nudges per due date. */
  nudge_max_overdue: Generated<number>;
  /** Days overdue after which the backbone channel hears of it, once per due date. */
  escalate_after_days: Generated<number>;
  /** The weekly digest's ISO weekday and minute of the day, in the default time zone. */
  digest_weekday: Generated<number>;
  digest_minute: Generated<number>;
  /** Whether the public decision records name each voter's position. */
  records_show_voters: Generated<boolean>;
  /** The public records page's address, `/records/<records_address>`; null: the records are not public. */
  records_address: string | null;
  /** The share of eligible voters who must vote for a decision, as an exact fraction 'n/d'. */
  consensus_quorum: Generated<string>;
  /** More stand-asides than this share of the votes cast means no consensus, as 'n/d'. */
  stand_aside_limit: Generated<string>;
  created_at: Instant;
  updated_at: Instant;
  /** Set when the app was uninstalled or its bot token revoked: nothing is sent until Concert starts with a token that works there. */
  uninstalled_at: Date | null;
  /** What Slack said: app_uninstalled, tokens_revoked, or the error a call answered (invalid_auth …). */
  uninstall_reason: string | null;
  /** The Enterprise Grid org the workspace belongs to, as its requests say; null outside Grid. */
  enterprise_id: string | null;
}

export interface PeopleTable {
  team_id: string;
  user_id: string;
  name: string;
  tz: string | null;
  is_bot: boolean;
  is_admin: boolean;
  is_owner: boolean;
  deleted: boolean;
  refreshed_at: RequiredInstant;
  /** When Concert learned the account was deactivated; null while it is active. */
  deactivated_at: Date | null;
}

export type WorkGroupStatus = 'active' | 'ended';
export type TzMode = 'group' | 'member';

export interface WorkGroupsTable {
  id: Generated<number>;
  team_id: string;
  name: string;
  channel_id: string;
  status: Generated<WorkGroupStatus>;
  checkin_weekday: number;
  checkin_minute: number;
  tz_mode: TzMode;
  tz: string;
  /** Hours after a member's check-in opens that those who have not answered are reminded. */
  checkin_reminder_hours: Generated<number>;
  /** Hours after a member's check-in opens that the round closes for them. */
  checkin_close_hours: Generated<number>;
  created_by: string;
  created_at: Instant;
  updated_at: Instant;
  ended_at: Date | null;
}

export interface ChannelMembersTable {
  team_id: string;
  channel_id: string;
  user_id: string;
  joined_at: Instant;
}

export interface SlackDeliveriesTable {
  team_id: string;
  delivery_key: string;
  received_at: RequiredInstant;
}

/** A form submission or click that took effect (see db/interaction-effects.ts). */
export interface InteractionEffectsTable {
  team_id: string;
  interaction_key: string;
  taken_at: RequiredInstant;
}

export interface SchedulerRunsTable {
  team_id: Generated<string>;
  slot_key: string;
  instance_id: string;
  started_at: RequiredInstant;
  finished_at: Date | null;
}

export type ActionStepStatus = 'open' | 'done' | 'dropped';
/**
 * Where a step came from; `decision`: a next step of a proposal's outcome statement (`source_ref`
 * `proposal:<id>`); `partnership`: exploring supports before a work group decides on ending its partnership
 * (`source_ref` `proposal:<id of the group's vote>`).
 */
export type ActionStepSource = 'commit' | 'shortcut' | 'checkin' | 'proposal' | 'decision' | 'partnership';

export interface ActionStepsTable {
  id: Generated<number>;
  team_id: string;
  title: string;
  details: string | null;
  owner_id: string;
  created_by: string;
  work_group_id: number | null;
  /** The date last agreed: renegotiation moves it, the events keep the history. */
  due_date: string;
  first_due_date: string;
  status: Generated<ActionStepStatus>;
  source: ActionStepSource;
  source_ref: string | null;
  permalink: string | null;
  created_at: Instant;
  updated_at: Instant;
  closed_at: Date | null;
}

export type ActionStepEventKind =
  | 'created'
  | 'done'
  | 'dropped'
  | 'renegotiated'
  | 'support_requested'
  | 'nudged'
  | 'reassigned';

export interface ActionStepEventsTable {
  id: Generated<number>;
  team_id: string;
  action_step_id: number;
  actor_id: string;
  kind: ActionStepEventKind;
  old_due_date: string | null;
  new_due_date: string | null;
  note: string | null;
  at: RequiredInstant;
  /** The step's work group (null: none), filled from the step as the event is written. */
  work_group_id: Generated<number | null>;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';

/** Why Concert cannot post in a channel: what Slack answered or told. */
export type ChannelProblem = 'archived' | 'removed' | 'not_found';

/** A channel Concert cannot reach; the row goes when the channel is back. */
export interface ChannelProblemsTable {
  team_id: string;
  channel_id: string;
  problem: ChannelProblem;
  since: Date;
}

export interface OutboxTable {
  id: Generated<number>;
  team_id: string;
  /** What it is (nudge_due, escalation, …); with dedupe_key, unique: the same message is never queued twice. */
  kind: string;
  dedupe_key: string;
  action_step_id: number | null;
  /** A user ID (sent to their DM with the app) or a channel ID. */
  channel_id: string;
  text: string;
  blocks: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: RequiredInstant;
  lease_until: Date | null;
  last_error: string | null;
  message_channel: string | null;
  message_ts: string | null;
  /** Posted as a reply in this message's thread. */
  thread_ts: string | null;
  /** Not a new message: replaces this message's text and blocks. */
  update_ts: string | null;
  created_at: RequiredInstant;
  sent_at: Date | null;
  /** When a post began whose outcome Slack never told: before posting again, Concert looks for it. */
  unconfirmed_since: Date | null;
}

export interface CheckinRoundsTable {
  id: Generated<number>;
  team_id: string;
  work_group_id: number;
  /** The check-in day of that week, as the group's calendar reads it. */
  round_date: string;
  /** The first member's opening, and the last member's close. */
  opens_at: RequiredInstant;
  closes_at: RequiredInstant;
  closed_at: Date | null;
  created_at: RequiredInstant;
  /** When every answered check-in's report was found queued in the summary's thread; null again on a late answer. */
  reports_queued_at: Date | null;
}

export type CheckinStatus = 'pending' | 'answered' | 'skipped' | 'away' | 'missed';
export type Assessment = 'on_track' | 'at_risk' | 'off_track';

export interface CheckinsTable {
  id: Generated<number>;
  team_id: string;
  work_group_id: number;
  /** Null for an off-cycle report until the group's next round opens and counts it. */
  round_id: number | null;
  user_id: string;
  status: CheckinStatus;
  opens_at: Date | null;
  reminder_at: Date | null;
  closes_at: Date | null;
  prompted_at: Date | null;
  reminded_at: Date | null;
  intention: string | null;
  actions_taken: string | null;
  assessment: Assessment | null;
  assessment_note: string | null;
  support_needed: string | null;
  answered_at: Date | null;
  skipped_at: Date | null;
  /** Answered after the member's round had closed. */
  late: Generated<boolean>;
  /** The form whose submission was last applied: a resubmission of the same form changes nothing. */
  view_id: string | null;
  created_at: RequiredInstant;
  updated_at: RequiredInstant;
}

export type StepProgress = 'done' | 'in_progress' | 'not_started' | 'dropped';

export interface CheckinStepUpdatesTable {
  checkin_id: number;
  action_step_id: number;
  team_id: string;
  status: StepProgress;
  new_due_date: string | null;
  note: string | null;
  at: RequiredInstant;
}

export interface AwayNoticesTable {
  team_id: string;
  user_id: string;
  /** The last day away, inclusive, on the member's own calendar. */
  away_until: string;
  set_at: RequiredInstant;
}

export type ProposalKind = 'add_work_group' | 'end_work_group' | 'change_backbone' | 'other';
export type ProposalStatus = 'open' | 'closed' | 'withdrawn';
/** `core`: put to the Core; `group`: a work group's own vote on ending its partnership, in its channel. */
export type ProposalStage = 'core' | 'group';
export type ProposalOutcome = 'consensus' | 'blocked' | 'no_quorum' | 'no_consensus';
export type CloseReason = 'deadline' | 'early' | 'all_voted' | 'withdrawn';
export type Position = 'support' | 'stand_aside' | 'block';
/** Which of the coalition's shared commitments a Block says the proposal would break. */
export type BlockGround = 'common_agenda' | 'accountabilities' | 'other';

/** The charter's triggers for changing the backbone organization. */
export type BackboneTrigger = 'no_longer_interested' | 'not_meeting_expectations' | 'better_placed' | 'other';

/** What a kind of proposal changes when it is agreed. */
export interface ProposalPayload {
  /** add_work_group */
  groupName?: string;
  groupChannelId?: string;
  /** add_work_group opened from a group's request to join. */
  joinRequestId?: number;
  /** change_backbone: which of the charter's triggers applies. */
  backboneTrigger?: BackboneTrigger;
  /** end_work_group */
  workGroupId?: number;
  /** end_work_group put to the Core: the group's representatives who present it (members of both channels). */
  presenters?: string[];
  /** end_work_group put to the Core: a link to the group's own vote (chat.getPermalink), when Slack gave one. */
  groupDecisionLink?: string;
  /** change_backbone */
  backboneChannelId?: string;
}

export interface ProposalsTable {
  id: Generated<number>;
  team_id: string;
  kind: ProposalKind;
  title: string;
  details: string | null;
  proposer_id: string;
  /** The Core channel it was put to. */
  channel_id: string;
  payload: ColumnType<ProposalPayload, string, string>;
  /** The consensus rules as they stood when it opened, so they cannot change under a vote. */
  quorum: string;
  stand_aside_limit: string;
  opened_at: RequiredInstant;
  closes_at: RequiredInstant;
  remind_at: RequiredInstant;
  reminded_at: Date | null;
  status: Generated<ProposalStatus>;
  outcome: ProposalOutcome | null;
  closed_at: Date | null;
  closed_by: string | null;
  close_reason: CloseReason | null;
  effect_applied_at: Date | null;
  effect_error: string | null;
  /** The Slack form (view) it was submitted from; unique per workspace, so one form opens one proposal. */
  view_id: string | null;
  /** Which text the proposal is on: 1 until it is first amended, one more with each amendment. */
  text_version: Generated<number>;
  amended_at: Date | null;
  stage: Generated<ProposalStage>;
  /** The Core's proposal to end a partnership: the work group's own vote (stage `group`) it came from. */
  group_decision_id: number | null;
}

/** An earlier text of a proposal, kept for the record when an amendment replaced it. */
export interface ProposalTextsTable {
  team_id: string;
  proposal_id: number;
  /** The text version this was (1 is the text the proposal opened with). */
  version: number;
  title: string;
  details: string | null;
  /** Who amended it, and when: the end of this text's time as the proposal. */
  replaced_by: string;
  replaced_at: RequiredInstant;
  /** What the amendment changed and why, in the amender's words. */
  note: string | null;
}

/** A concern raised under an open proposal, listed under it and in its thread. */
export interface ProposalConcernsTable {
  id: Generated<number>;
  team_id: string;
  proposal_id: number;
  raised_by: string;
  text: string;
  /** The text of the proposal it was raised on. */
  text_version: number;
  raised_at: RequiredInstant;
  resolved_at: Date | null;
  /** The form it was raised from: one form, one concern. */
  view_id: string | null;
}

/** An extension of a vote's deadline: the old and the new close, kept. */
export interface ProposalExtensionsTable {
  id: Generated<number>;
  team_id: string;
  proposal_id: number;
  old_closes_at: RequiredInstant;
  new_closes_at: RequiredInstant;
  extended_by: string;
  extended_at: RequiredInstant;
  /** The form it came from: one form, one extension. */
  view_id: string | null;
}

/** A closed proposal's outcome statement: what was decided and what happens next. One per proposal. */
export interface ProposalStatementsTable {
  proposal_id: number;
  team_id: string;
  decided: string;
  next: string | null;
  /** An ended partnership: how the gap the group leaves will be filled. */
  gap: string | null;
  written_by: string;
  written_at: RequiredInstant;
}

/** A group's request to join the coalition as a work group, for the backbone to put to the Core. */
export interface JoinRequestsTable {
  id: Generated<number>;
  team_id: string;
  group_name: string;
  channel_id: string;
  purpose: string;
  /** Who the backbone talks to. */
  contact_id: string;
  requested_by: string;
  requested_at: RequiredInstant;
  view_id: string | null;
}

export interface ProposalVotersTable {
  team_id: string;
  proposal_id: number;
  user_id: string;
}

export interface ProposalVotesTable {
  team_id: string;
  proposal_id: number;
  voter_id: string;
  position: Position;
  reason: string | null;
  voted_at: RequiredInstant;
  /** The text the position was given on (proposals.text_version): only those on the final text count. */
  text_version: Generated<number>;
  /** A Block's ground; null for any other position. */
  block_ground: BlockGround | null;
}

export interface ProposalVoteEventsTable {
  id: Generated<number>;
  team_id: string;
  proposal_id: number;
  voter_id: string;
  position: Position;
  old_position: Position | null;
  reason: string | null;
  at: RequiredInstant;
  text_version: Generated<number>;
  block_ground: BlockGround | null;
}

/** One workspace's post rate, shared by every instance (slack/pacing.ts): see send-pace.ts. */
export interface SendPaceTable {
  team_id: string;
  tat: Date;
}

/**
 * A workspace's installation of Concert in OAuth mode; the token columns hold sealed values
 * (slack/token-cipher.ts), never the tokens themselves.
 */
export interface InstallationsTable {
  /** The workspace's team ID; for an org-wide install (`is_enterprise_install`), the org's enterprise ID. */
  team_id: string;
  team_name: string | null;
  enterprise_id: string | null;
  enterprise_name: string | null;
  app_id: string | null;
  bot_id: string;
  bot_user_id: string;
  /** The bot's scopes, comma-separated as Slack gives them. */
  bot_scopes: string;
  bot_token: string;
  bot_refresh_token: string | null;
  bot_token_expires_at: Date | null;
  installer_user_id: string;
  /** An Enterprise Grid org-wide install: one installation for every workspace of the org. */
  is_enterprise_install: Generated<boolean>;
  installed_at: RequiredInstant;
  updated_at: RequiredInstant;
}

/** An OAuth state handed out and not used yet, by its hash. */
export interface OAuthStatesTable {
  state_hash: string;
  expires_at: RequiredInstant;
}

export interface Database extends IndicatorTables {
  installations: InstallationsTable;
  oauth_states: OAuthStatesTable;
  checkin_rounds: CheckinRoundsTable;
  checkins: CheckinsTable;
  checkin_step_updates: CheckinStepUpdatesTable;
  away_notices: AwayNoticesTable;
  action_steps: ActionStepsTable;
  action_step_events: ActionStepEventsTable;
  outbox: OutboxTable;
  send_pace: SendPaceTable;
  channel_problems: ChannelProblemsTable;
  workspaces: WorkspacesTable;
  people: PeopleTable;
  work_groups: WorkGroupsTable;
  channel_members: ChannelMembersTable;
  slack_deliveries: SlackDeliveriesTable;
  interaction_effects: InteractionEffectsTable;
  scheduler_runs: SchedulerRunsTable;
  proposals: ProposalsTable;
  proposal_voters: ProposalVotersTable;
  proposal_votes: ProposalVotesTable;
  proposal_vote_events: ProposalVoteEventsTable;
  proposal_texts: ProposalTextsTable;
  proposal_concerns: ProposalConcernsTable;
  proposal_extensions: ProposalExtensionsTable;
  proposal_statements: ProposalStatementsTable;
  join_requests: JoinRequestsTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type NewWorkspace = Insertable<WorkspacesTable>;
export type WorkspaceUpdate = Updateable<WorkspacesTable>;
export type Person = Selectable<PeopleTable>;
export type NewPerson = Insertable<PeopleTable>;
export type WorkGroup = Selectable<WorkGroupsTable>;
export type NewWorkGroup = Insertable<WorkGroupsTable>;
export type WorkGroupUpdate = Updateable<WorkGroupsTable>;
export type ActionStep = Selectable<ActionStepsTable>;
export type NewActionStep = Insertable<ActionStepsTable>;
export type ActionStepEvent = Selectable<ActionStepEventsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type CheckinRound = Selectable<CheckinRoundsTable>;
export type Checkin = Selectable<CheckinsTable>;
export type NewCheckin = Insertable<CheckinsTable>;
export type CheckinUpdate = Updateable<CheckinsTable>;
export type CheckinStepUpdate = Selectable<CheckinStepUpdatesTable>;
export type AwayNotice = Selectable<AwayNoticesTable>;
export type Proposal = Selectable<ProposalsTable>;
export type NewProposal = Insertable<ProposalsTable>;
export type Vote = Selectable<ProposalVotesTable>;
export type VoteEvent = Selectable<ProposalVoteEventsTable>;
export type ProposalText = Selectable<ProposalTextsTable>;
export type Concern = Selectable<ProposalConcernsTable>;
export type Extension = Selectable<ProposalExtensionsTable>;
export type OutcomeStatement = Selectable<ProposalStatementsTable>;
export type JoinRequest = Selectable<JoinRequestsTable>;

export type Installation = Selectable<InstallationsTable>;
