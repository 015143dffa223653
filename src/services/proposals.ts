import { channelMemberIds } from '../db/channel-members.js';
import type { Db } from '../db/database.js';
import { findJoinRequest } from '../db/join-requests.js';
import { findOpenEnding } from '../db/partnership-endings.js';
import { findPerson } from '../db/people.js';
import { type DecisionRecord, decisionRecordsOf, extensionsOf, statementOf } from '../db/proposal-records.js';
import { concernsOf, earlierTextsOf } from '../db/proposal-texts.js';
import {
  countOpenProposals,
  findProposal,
  findProposalByView,
  insertProposal,
  listRecentDecisions,
  PROPOSAL_POST,
  voterIdsOf,
  votesOf,
} from '../db/proposals.js';
import type {
  BackboneTrigger,
  Concern,
  Extension,
  NewProposal,
  OutcomeStatement,
  Proposal,
  ProposalKind,
  ProposalPayload,
  ProposalText,
  Vote,
  WorkGroup,
} from '../db/schema.js';
import { findActiveWorkGroupByChannel, findActiveWorkGroupByName, findWorkGroup } from '../db/work-groups.js';
import { findWorkspace } from '../db/workspaces.js';
import { channelAccessProblem } from './channel-access.js';
import { isUnreachable } from './channel-reach.js';
import { checkClosing, reminderAt } from './closing-time.js';
import {
  type ConsensusRules,
  DEFAULT_QUORUM,
  DEFAULT_STAND_ASIDE_LIMIT,
  parseRatio,
  requiredVotes,
} from './consensus.js';
import { queueMessage } from './outgoing.js';
import { isCountedPerson } from './people.js';
import { type Roles, rolesOf } from './roles.js';
import type { SlackDirectory } from './slack-directory.js';
import { formatDate, localDate, timeZoneOf } from './time.js';
import { type FieldErrors, hasErrors } from './validation.js';
import { WORK_GROUP_NAME_MAX } from './work-groups.js';

export const PROPOSAL_KINDS: readonly ProposalKind[] = [
  'add_work_group',
  'end_work_group',
  'change_backbone',
  'other',
];
export const PROPOSAL_TITLE_MAX = 150;
export const PROPOSAL_DETAILS_MAX = 2500;

export function isProposalKind(value: string | null | undefined): value is ProposalKind {
  return PROPOSAL_KINDS.includes(value as ProposalKind);
}

/**
 * The charter: the backbone proposes adding a work group; a work group's representatives in the Core
 * propose ending its partnership; any Core member proposes changing the backbone, or anything else.
 */
export function mayProposeKind(roles: Roles, kind: ProposalKind): boolean {
  switch (kind) {
    case 'add_work_group':
      return roles.isBackbone;
    case 'end_work_group':
      return roles.representativeOf.length > 0;
    case 'change_backbone':
    case 'other':
      return roles.isCore;
  }
}

/** Said under the kind when someone picks one they may not propose. */
export function whoMayPropose(kind: ProposalKind): string {
  switch (kind) {
    case 'add_work_group':
      return 'Only members of the backbone channel can propose adding a work group. Ask one of them to propose it.';
    case 'end_work_group':
      return 'Only a work group’s representatives (members of both its channel and the Core channel) can propose ending its partnership.';
    case 'change_backbone':
      return 'Only members of the Core channel can propose changing the backbone.';
    case 'other':
      return 'Only members of the Core channel can make this kind of proposal.';
  }
}

export function mayProposeAnything(roles: Roles): boolean {
  return PROPOSAL_KINDS.some((kind) => mayProposeKind(roles, kind));
}

export type ProposalField =
  | 'kind'
  | 'title'
  | 'details'
  | 'closeDate'
  | 'closeTime'
  | 'groupName'
  | 'groupChannel'
  | 'workGroup'
  | 'backboneChannel'
  | 'backboneTrigger';

/** The charter's triggers for changing the backbone, in its order. */
export const BACKBONE_TRIGGERS: readonly BackboneTrigger[] = [
  'no_longer_interested',
  'not_meeting_expectations',
  'better_placed',
  'other',
];

export interface ProposalDraft {
  kind: string | null;
  title: string | null;
  details: string | null;
  closeDate: string | null;
  closeTime: string | null;
  groupName?: string | null;
  groupChannelId?: string | null;
  workGroupId?: number | null;
  backboneChannelId?: string | null;
  backboneTrigger?: string | null;
  /** For adding a work group: the group's request to join it came from. */
  joinRequestId?: number | null;
}

/** A proposal whose form passed every check, ready to be opened. */
export interface CheckedProposal {
  teamId: string;
  proposerId: string;
  coreChannelId: string;
  kind: ProposalKind;
  title: string;
  details: string | null;
  payload: ProposalPayload;
  quorum: string;
  standAsideLimit: string;
  closesAt: Date;
}

export type CheckResult =
  | { ok: true; checked: CheckedProposal }
  | { ok: false; errors: FieldErrors<ProposalField> };

export type OpenResult =
  | { ok: true; proposal: Proposal; postId: number | undefined; duplicate: boolean }
  | { ok: false; errors: FieldErrors<ProposalField> };

/** The proposer's own time zone, for reading the closing time they chose. */
export async function zoneOf(db: Db, roles: Roles, userId: string): Promise<string> {
  const person = await findPerson(db, roles.workspace?.team_id ?? '', userId);
  return timeZoneOf(person?.tz, roles.workspace?.default_tz);
}

async function payloadFor(
  db: Db,
  directory: SlackDirectory,
  roles: Roles,
  kind: ProposalKind,
  draft: ProposalDraft,
  errors: FieldErrors<ProposalField>,
): Promise<ProposalPayload> {
  const teamId = roles.workspace?.team_id ?? '';
  const roleChannel = async (channelId: string): Promise<string | undefined> => {
    if (channelId === roles.workspace?.core_channel_id) return 'That is the Core channel. Choose another.';
    if (channelId === roles.workspace?.backbone_channel_id) return 'That is already the backbone channel.';
    const group = await findActiveWorkGroupByChannel(db, teamId, channelId);
    if (group) return `That channel belongs to the work group “${group.name}”. Choose another.`;
    return channelAccessProblem(directory, channelId);
  };
  switch (kind) {
    case 'add_work_group': {
      const name = (draft.groupName ?? '').trim().replace(/\s+/g, ' ');
      if (!name) errors.groupName = 'Name the new work group.';
      else if (name.length > WORK_GROUP_NAME_MAX)
        errors.groupName = `Keep the name to ${WORK_GROUP_NAME_MAX} characters or fewer (this one has ${name.length}).`;
      else if (await findActiveWorkGroupByName(db, teamId, name))
        errors.groupName = `There is already a work group called “${name}”.`;
      const channelId = draft.groupChannelId ?? '';
      if (!channelId) errors.groupChannel = 'Choose the channel where the new work group will work.';
      else {
        const problem = await roleChannel(channelId);
        if (problem) errors.groupChannel = problem;
      }
      const joinRequestId =
        draft.joinRequestId && (await findJoinRequest(db, teamId, draft.joinRequestId))
          ? draft.joinRequestId
          : undefined;
      return { groupName: name, groupChannelId: channelId, ...(joinRequestId ? { joinRequestId } : {}) };
    }
    case 'end_work_group': {
      const group = roles.representativeOf.find((g) => g.id === draft.workGroupId);
      if (!group) errors.workGroup = 'Choose a work group you represent in the Core.';
      const open = group && (await findOpenEnding(db, teamId, group.id));
      if (open)
        errors.workGroup = `Ending ${group.name}’s partnership is already open for ${open.stage === 'group' ? 'the group’s own vote' : 'the Core’s vote'} (“${open.title}”), until ${formatDate(localDate(open.closes_at, timeZoneOf(roles.workspace?.default_tz)))}. Vote there, or wait for it to close.`;
      return { workGroupId: draft.workGroupId ?? 0 };
    }
    case 'change_backbone': {
      const channelId = draft.backboneChannelId ?? '';
      if (!channelId) errors.backboneChannel = 'Choose the channel of the new backbone.';
      else {
        const problem = await roleChannel(channelId);
        if (problem) errors.backboneChannel = problem;
      }
      const trigger = BACKBONE_TRIGGERS.find((t) => t === draft.backboneTrigger);
      if (!trigger)
        errors.backboneTrigger = 'Choose which of the charter’s reasons for changing the backbone applies.';
      return { backboneChannelId: channelId, ...(trigger ? { backboneTrigger: trigger } : {}) };
    }
    case 'other':
      return {};
  }
}

/** A channel's people as they stand now (the Core's, a work group's): never bots or deactivated accounts. */
export async function countedMembersOf(
  db: Db,
  directory: SlackDirectory,
  teamId: string,
  channelId: string,
  now: Date,
) {
  const members = await channelMemberIds(db, teamId, channelId);
  const counted: string[] = [];
  for (const id of members) if (await isCountedPerson(db, directory, teamId, id, now)) counted.push(id);
  return counted;
}

/**
 * Checks the form and the proposer's right to this kind: all a submission must pass before Slack is
 * answered, so mistakes show under their fields. It asks Slack only what the checks need (whether Concert
 * can reach a channel the proposal names).
 */
export async function checkProposal(
  db: Db,
  directory: SlackDirectory,
  input: { teamId: string; proposerId: string; draft: ProposalDraft },
  now: Date,
): Promise<CheckResult> {
  const { teamId, proposerId, draft } = input;
  const roles = await rolesOf(db, teamId, proposerId);
  const workspace = roles.workspace;
  const errors: FieldErrors<ProposalField> = {};
  if (!roles.isSetUp || !workspace?.core_channel_id) {
    return { ok: false, errors: { title: 'Concert isn’t set up yet, so there is no Core to propose to.' } };
  }
  if (!isProposalKind(draft.kind))
    return { ok: false, errors: { kind: 'Choose what kind of proposal it is.' } };
  const kind = draft.kind;
  if (!mayProposeKind(roles, kind)) return { ok: false, errors: { kind: whoMayPropose(kind) } };
  const title = (draft.title ?? '').trim();
  if (!title) errors.title = 'Give the proposal a title.';
  else if (title.length > PROPOSAL_TITLE_MAX)
    errors.title = `Keep the title to ${PROPOSAL_TITLE_MAX} characters or fewer (this one has ${title.length}).`;
  const details = draft.details?.trim() || null;
  if ((details?.length ?? 0) > PROPOSAL_DETAILS_MAX)
    errors.details = `Keep the details to ${PROPOSAL_DETAILS_MAX} characters or fewer (these have ${details?.length}).`;
  const closing = checkClosing(draft.closeDate, draft.closeTime, await zoneOf(db, roles, proposerId), now);
  if (!closing.ok) errors[closing.field === 'date' ? 'closeDate' : 'closeTime'] = closing.error;
  const payload = await payloadFor(db, directory, roles, kind, draft, errors);
  if (hasErrors(errors) || !closing.ok) return { ok: false, errors };
  if ((await channelMemberIds(db, teamId, workspace.core_channel_id)).length === 0)
    return { ok: false, errors: { title: NOBODY_TO_VOTE } };
  if (await isUnreachable(db, teamId, workspace.core_channel_id))
    return { ok: false, errors: { title: CORE_UNREACHABLE } };
  return {
    ok: true,
    checked: {
      teamId,
      proposerId,
      coreChannelId: workspace.core_channel_id,
      kind,
      title,
      details,
      payload,
      quorum: workspace.consensus_quorum,
      standAsideLimit: workspace.stand_aside_limit,
      closesAt: closing.closesAt,
    },
  };
}

const CORE_UNREACHABLE =
  'Concert can’t post in the Core channel right now (archived, or Concert was removed from it); the backbone has been told how to fix it. Try again once it is back.';

const NOBODY_TO_VOTE =
  'Concert knows of nobody in the Core channel yet, so nobody could vote. Try again in a minute.';

/**
 * The proposal row a checked form opens, put to the Core; `stage` and `where` (channel and payload) for a work
 * group's own vote on ending its partnership, put to its channel.
 */
export function proposalRowOf(
  checked: CheckedProposal,
  viewId: string | null,
  now: Date,
  where: { stage: 'core' | 'group'; channelId: string; payload: ProposalPayload } = {
    stage: 'core',
    channelId: checked.coreChannelId,
    payload: checked.payload,
  },
): NewProposal {
  return {
    team_id: checked.teamId,
    kind: checked.kind,
    stage: where.stage,
    title: checked.title,
    details: checked.details,
    proposer_id: checked.proposerId,
    channel_id: where.channelId,
    payload: JSON.stringify(where.payload),
    quorum: checked.quorum,
    stand_aside_limit: checked.standAsideLimit,
    opened_at: now,
    closes_at: checked.closesAt,
    remind_at: reminderAt(now, checked.closesAt),
    view_id: viewId,
  };
}

/**
 * Opens a checked proposal: takes the Core's members as the voters (so the quorum cannot move during the
 * vote), and queues the message that puts it to the Core. One form opens one proposal: the same form
 * (`viewId`) submitted again, even at the same moment, finds the proposal it opened (`duplicate`).
 */
export async function openCheckedProposal(
  db: Db,
  directory: SlackDirectory,
  checked: CheckedProposal,
  viewId: string | null,
  now: Date,
): Promise<OpenResult> {
  const { teamId } = checked;
  if (viewId) {
    const opened = await findProposalByView(db, teamId, viewId);
    if (opened) return { ok: true, proposal: opened, postId: undefined, duplicate: true };
  }
  const voters = await countedMembersOf(db, directory, teamId, checked.coreChannelId, now);
  if (voters.length === 0) return { ok: false, errors: { title: NOBODY_TO_VOTE } };
  return db.transaction().execute(async (tx): Promise<OpenResult> => {
    const proposal = await insertProposal(tx, proposalRowOf(checked, viewId, now), voters);
    if (!proposal) {
      const opened = viewId ? await findProposalByView(tx, teamId, viewId) : undefined;
      if (!opened) throw new Error(`the proposal from form ${viewId} was neither inserted nor found`);
      return { ok: true, proposal: opened, postId: undefined, duplicate: true };
    }
    const state = await proposalState(tx, proposal);
    const post = await queueMessage(
      tx,
      {
        teamId,
        kind: PROPOSAL_POST,
        data: { state, required: votesNeeded(state) },
        to: proposal.channel_id,
      },
      now,
    );
    return { ok: true, proposal, postId: post?.id, duplicate: false };
  });
}

/** Checks and opens a proposal in one go, where no Slack deadline waits on the checks (the sandbox's history). */
export async function openProposal(
  db: Db,
  directory: SlackDirectory,
  input: { teamId: string; proposerId: string; draft: ProposalDraft },
  now: Date,
): Promise<OpenResult> {
  const check = await checkProposal(db, directory, input, now);
  if (!check.ok) return check;
  return openCheckedProposal(db, directory, check.checked, null, now);
}

/** Everything a view needs to show a proposal as it stands. */
export interface ProposalState {
  proposal: Proposal;
  voters: string[];
  votes: Vote[];
  /** The group an end-partnership proposal is about. */
  workGroup: WorkGroup | undefined;
  /** Concerns raised under it, oldest first. */
  concerns: Concern[];
  /** The texts an amendment replaced, oldest first. */
  earlierTexts: ProposalText[];
  /** Each extension of its deadline, oldest first. */
  extensions: Extension[];
  /** The Core's proposal to end a partnership: the work group's own vote it came from, as it closed. */
  groupDecision: GroupDecision | undefined;
  /** Its outcome statement, once written. */
  statement: OutcomeStatement | undefined;
}

/** A work group's own vote on ending its partnership, as the Core's proposal names it. */
export interface GroupDecision {
  proposal: Proposal;
  voters: number;
  /** Positions on its final text. */
  votes: Vote[];
  /** Its message in the group's channel, when Slack gave a link as the Core's proposal opened. */
  link: string | undefined;
}

async function groupDecisionOf(db: Db, proposal: Proposal): Promise<GroupDecision | undefined> {
  if (!proposal.group_decision_id) return undefined;
  const group = await findProposal(db, proposal.team_id, proposal.group_decision_id);
  if (!group) return undefined;
  const [voters, votes] = await Promise.all([voterIdsOf(db, group.id), votesOf(db, group.id)]);
  return {
    proposal: group,
    voters: voters.length,
    votes: votes.filter((v) => v.text_version === group.text_version),
    link: proposal.payload.groupDecisionLink,
  };
}

export async function proposalState(db: Db, proposal: Proposal): Promise<ProposalState> {
  const [voters, votes, workGroup, concerns, earlierTexts, extensions, groupDecision, statement] =
    await Promise.all([
      voterIdsOf(db, proposal.id),
      votesOf(db, proposal.id),
      proposal.payload.workGroupId
        ? findWorkGroup(db, proposal.team_id, proposal.payload.workGroupId)
        : undefined,
      concernsOf(db, proposal.id),
      proposal.text_version > 1 ? earlierTextsOf(db, proposal.id) : [],
      extensionsOf(db, proposal.id),
      groupDecisionOf(db, proposal),
      proposal.status === 'closed' ? statementOf(db, proposal.id) : undefined,
    ]);
  return { proposal, voters, votes, workGroup, concerns, earlierTexts, extensions, groupDecision, statement };
}

/** The positions that count: those given (or confirmed) on the proposal's current text. */
export function currentVotes(state: Pick<ProposalState, 'proposal' | 'votes'>): Vote[] {
  return state.votes.filter((v) => v.text_version === state.proposal.text_version);
}

/** The rules a proposal is decided by: those in force when it opened, over its snapshot of voters. */
export function rulesOf(proposal: Proposal, eligible: number): ConsensusRules {
  return {
    eligible,
    quorum: parseRatio(proposal.quorum) ?? DEFAULT_QUORUM,
    standAsideLimit: parseRatio(proposal.stand_aside_limit) ?? DEFAULT_STAND_ASIDE_LIMIT,
  };
}

export function votesNeeded(state: ProposalState): number {
  const rules = rulesOf(state.proposal, state.voters.length);
  return requiredVotes(rules.eligible, rules.quorum);
}

export const DECISIONS_SHOWN = 15;

/**
 * The decision log: the latest decided or withdrawn proposals, how many are open now, and each decision's
 * outcome statement with its next steps' follow-through as of today (the workspace's calendar).
 */
export async function decisionLog(
  db: Db,
  teamId: string,
  now: Date,
): Promise<{ decided: Proposal[]; open: number; records: Map<number, DecisionRecord> }> {
  const [decided, open, workspace] = await Promise.all([
    listRecentDecisions(db, teamId, DECISIONS_SHOWN),
    countOpenProposals(db, teamId),
    findWorkspace(db, teamId),
  ]);
  const today = localDate(now, timeZoneOf(workspace?.default_tz));
  const records = await decisionRecordsOf(
    db,
    teamId,
    decided.map((p) => p.id),
    today,
  );
  return { decided, open, records };
}
