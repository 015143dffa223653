/**
 * Every callback, block and action ID the app sends to Slack and routes on, in one place so a view and the
 * listener that reads it can never drift apart.
 */
export const COMMAND = {
  CONCERT: '/concert',
  CHECKIN: '/checkin',
  COMMIT: '/commit',
  PROPOSE: '/propose',
} as const;

export const SHORTCUT = {
  MAKE_ACTION_STEP: 'make_action_step',
} as const;

export const SETUP = {
  CALLBACK: 'setup_submit',
  CORE_CHANNEL: { block: 'setup_core', action: 'core_channel' },
  BACKBONE_CHANNEL: { block: 'setup_backbone', action: 'backbone_channel' },
  DEFAULT_TZ: { block: 'setup_tz', action: 'default_tz' },
  WORKDAY_START: { block: 'setup_day_start', action: 'workday_start' },
  WORKDAY_END: { block: 'setup_day_end', action: 'workday_end' },
  WORKING_DAYS: { block: 'setup_days', action: 'working_days' },
  NUDGE_REPEAT: { block: 'setup_nudge_repeat', action: 'nudge_repeat_days' },
  NUDGE_MAX: { block: 'setup_nudge_max', action: 'nudge_max_overdue' },
  ESCALATE_AFTER: { block: 'setup_escalate', action: 'escalate_after_days' },
  QUORUM: { block: 'setup_quorum', action: 'consensus_quorum' },
  STAND_ASIDE_LIMIT: { block: 'setup_stand_aside', action: 'stand_aside_limit' },
  DIGEST_DAY: { block: 'setup_digest_day', action: 'digest_weekday' },
  DIGEST_TIME: { block: 'setup_digest_time', action: 'digest_time' },
  SHOW_VOTERS: { block: 'setup_show_voters', action: 'records_show_voters' },
  RECORDS_ADDRESS: { block: 'setup_records_address', action: 'records_address' },
} as const;

export const WORK_GROUP = {
  CALLBACK: 'work_group_submit',
  NAME: { block: 'wg_name', action: 'name' },
  CHANNEL: { block: 'wg_channel', action: 'channel' },
  WEEKDAY: { block: 'wg_weekday', action: 'weekday' },
  TIME: { block: 'wg_time', action: 'time' },
  TZ_MODE: { block: 'wg_tz_mode', action: 'tz_mode' },
  TZ: { block: 'wg_tz', action: 'tz' },
  REMINDER_HOURS: { block: 'wg_reminder', action: 'reminder_hours' },
  CLOSE_HOURS: { block: 'wg_close', action: 'close_hours' },
  /** Buttons in the work group list. */
  ADD: 'work_group_add',
  EDIT: 'work_group_edit',
} as const;

export const INDICATOR = {
  CALLBACK: 'indicator_submit',
  NAME: { block: 'ind_name', action: 'name' },
  UNIT: { block: 'ind_unit', action: 'unit' },
  DIRECTION: { block: 'ind_direction', action: 'direction' },
  NEGATIVE: { block: 'ind_negative', action: 'negative' },
  TARGET: { block: 'ind_target', action: 'target' },
  TARGET_DATE: { block: 'ind_target_date', action: 'target_date' },
  FREQUENCY: { block: 'ind_frequency', action: 'frequency' },
  GROUPS: { block: 'ind_groups', action: 'groups' },
  STATUS: { block: 'ind_status', action: 'status' },
  /** Buttons in the indicator list; EDIT's value is the indicator's id. */
  ADD: 'indicator_add',
  EDIT: 'indicator_edit',
} as const;

export const CHECKIN = {
  CALLBACK: 'checkin_submit',
  INTENTION: { block: 'ci_intention', action: 'intention' },
  ACTIONS_TAKEN: { block: 'ci_actions', action: 'actions_taken' },
  ASSESSMENT: { block: 'ci_assessment', action: 'assessment' },
  ASSESSMENT_NOTE: { block: 'ci_assessment_note', action: 'note' },
  SUPPORT: { block: 'ci_support', action: 'support' },
  /** One of each per open action step, the block ID ending in the step's id. */
  STEP_STATUS: { block: 'ci_step_status_', action: 'status' },
  STEP_DATE: { block: 'ci_step_date_', action: 'date' },
  STEP_NOTE: { block: 'ci_step_note_', action: 'note' },
  /** One of each per next-step row, the block ID ending in the row's number. */
  NEXT_TITLE: { block: 'ci_next_title_', action: 'title' },
  NEXT_DUE: { block: 'ci_next_due_', action: 'due_date' },
  NEXT_OWNER: { block: 'ci_next_owner_', action: 'owner' },
  /** One per indicator the group reports, the block ID ending in the indicator's id. */
  INDICATOR_VALUE: { block: 'ci_indicator_', action: 'value' },
  /** Buttons; START, SKIP and EDIT carry the check-in's id, START_GROUP a work group's id. */
  START: 'checkin_start',
  SKIP: 'checkin_skip',
  EDIT: 'checkin_edit',
  START_GROUP: 'checkin_start_group',
  BACK: 'checkin_back',
} as const;

/** The IDs of one of a repeated block: the step's or row's own block ID, the shared action ID. */
export function nth(ids: { readonly block: string; readonly action: string }, key: number | string) {
  return { block: `${ids.block}${key}`, action: ids.action };
}

export const DIGEST = {
  /** Buttons on the digest; the value is the number of weeks it covers. */
  POST: 'digest_post',
  NUDGE_ALL: 'digest_nudge_all',
} as const;

export const DATA_DELETION = {
  CALLBACK: 'data_deletion_submit',
  NAME: { block: 'data_deletion_name', action: 'workspace_name' },
} as const;

export const HOME = {
  OPEN_SETUP: 'home_open_setup',
  OPEN_GROUPS: 'home_open_groups',
} as const;

export const ACTION_STEP = {
  CALLBACK: 'action_step_submit',
  TITLE: { block: 'step_title', action: 'title' },
  OWNER: { block: 'step_owner', action: 'owner' },
  WORK_GROUP: { block: 'step_group', action: 'work_group' },
  DUE: { block: 'step_due', action: 'due_date' },
  DETAILS: { block: 'step_details', action: 'details' },
  /** Buttons on a step, wherever it is shown; the value is the step's id. */
  DONE: 'step_done',
  NEW_DATE: 'step_new_date',
  SUPPORT: 'step_support',
  DROP: 'step_drop',
  OPEN: 'step_open',
  NEW_DATE_CALLBACK: 'step_new_date_submit',
  DROP_CALLBACK: 'step_drop_submit',
  SUPPORT_CALLBACK: 'step_support_submit',
  NEW_DUE: { block: 'step_new_due', action: 'due_date' },
  REASON: { block: 'step_reason', action: 'reason' },
  NOTE: { block: 'step_note', action: 'note' },
} as const;

/** `/concert join`: a group's request to join, and the backbone's button that proposes it. */
export const JOIN = {
  CALLBACK: 'join_request_submit',
  NAME: { block: 'join_name', action: 'group_name' },
  CHANNEL: { block: 'join_channel', action: 'channel' },
  PURPOSE: { block: 'join_purpose', action: 'purpose' },
  CONTACT: { block: 'join_contact', action: 'contact' },
  WILLING: { block: 'join_willing', action: 'willing' },
  /** On the request in the backbone channel: opens the "add work group" proposal; the value is its id. */
  PROPOSE: 'join_request_propose',
} as const;

export const PROPOSAL = {
  /** First form: what kind of proposal; the second form asks what that kind needs. */
  KIND_CALLBACK: 'proposal_kind_submit',
  CALLBACK: 'proposal_submit',
  KIND: { block: 'proposal_kind', action: 'kind' },
  TITLE: { block: 'proposal_title', action: 'title' },
  DETAILS: { block: 'proposal_details', action: 'details' },
  CLOSE_DATE: { block: 'proposal_close_date', action: 'close_date' },
  CLOSE_TIME: { block: 'proposal_close_time', action: 'close_time' },
  GROUP_NAME: { block: 'proposal_group_name', action: 'group_name' },
  GROUP_CHANNEL: { block: 'proposal_group_channel', action: 'group_channel' },
  WORK_GROUP: { block: 'proposal_work_group', action: 'work_group' },
  BACKBONE_CHANNEL: { block: 'proposal_backbone', action: 'backbone_channel' },
  BACKBONE_TRIGGER: { block: 'proposal_backbone_trigger', action: 'backbone_trigger' },
  /** Buttons on a proposal, wherever it is shown; the value is the proposal's id. */
  SUPPORT: 'proposal_support',
  STAND_ASIDE: 'proposal_stand_aside',
  BLOCK: 'proposal_block',
  /** On the answer to a Support click: give a reason after all. */
  SUPPORT_REASON: 'proposal_support_reason',
  /** The overflow menu: close early (backbone) or withdraw (proposer); the option value is `close:id` or `withdraw:id`. */
  MORE: 'proposal_more',
  VOTE_CALLBACK: 'proposal_vote_submit',
  REASON: { block: 'proposal_reason', action: 'reason' },
  /** A Block's ground: which shared commitment the proposal would break. */
  GROUND: { block: 'proposal_ground', action: 'ground' },
  /** A concern, from the menu's *Raise a concern*; the option value is `concern:id`. */
  CONCERN_CALLBACK: 'proposal_concern_submit',
  CONCERN: { block: 'proposal_concern', action: 'concern' },
  /** On a concern in the thread: whoever raised it marks it resolved; the value is the concern's id. */
  RESOLVE_CONCERN: 'proposal_resolve_concern',
  /** An amendment, from the menu's *Amend the text*; the option value is `amend:id`. */
  AMEND_CALLBACK: 'proposal_amend_submit',
  AMEND_NOTE: { block: 'proposal_amend_note', action: 'note' },
  /** Under an amended proposal: its earlier texts; the value is the proposal's id. */
  EARLIER_TEXTS: 'proposal_earlier_texts',
  /** In the DM after an amendment: the position given on the earlier text, kept on the new one. */
  KEEP_POSITION: 'proposal_keep_position',
  /** An extension of the deadline, from the menu's *Extend the deadline*; the option value is `extend:id`. */
  EXTEND_CALLBACK: 'proposal_extend_submit',
  /** On the outcome in the thread: the proposer or the backbone writes the outcome statement; value: id. */
  WRITE_STATEMENT: 'proposal_write_statement',
  STATEMENT_CALLBACK: 'proposal_statement_submit',
  DECIDED: { block: 'proposal_decided', action: 'decided' },
  NEXT: { block: 'proposal_next', action: 'next' },
  GAP: { block: 'proposal_gap', action: 'gap' },
  /** One of each per next step, the block ID ending in the row's number (1 to 5). */
  STEP_TITLE: { block: 'proposal_step_title_', action: 'title' },
  STEP_OWNER: { block: 'proposal_step_owner_', action: 'owner' },
  STEP_DUE: { block: 'proposal_step_due_', action: 'due_date' },
} as const;
