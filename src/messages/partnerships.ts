import type { ActionStep, Proposal, WorkGroup } from '../db/schema.js';
import type { Decision } from '../services/consensus.js';
import { messageKind } from '../services/outgoing.js';
import {
  coreOpenedLateMessage,
  groupOutcomeMessage,
  partnershipStartedMessage,
} from '../views/partnership-endings.js';

/**
 * A representative started ending a work group's partnership: by DM to each other representative and in the
 * backbone channel, with the explore step and its owner. Once per group vote and recipient (`proposal:to`).
 */
export const partnership_started = messageKind({
  key: ({
    proposal,
    to,
  }: {
    proposal: Proposal;
    group: WorkGroup;
    step: ActionStep | undefined;
    to: string;
    audience: 'representative' | 'backbone';
  }) => `${proposal.id}:${to}`,
  render: ({ proposal, group, step, audience }) => partnershipStartedMessage(proposal, group, step, audience),
  failure: {
    means:
      'the representatives or the backbone did not hear that a work group is deciding on ending its partnership',
    told: 'backbone',
  },
});

/**
 * The work group's own vote closed: by DM to each representative and to whoever started it, with what follows
 * (the Core's proposal, or nothing). Once per group vote and recipient (`proposal:to`).
 */
export const partnership_group_outcome = messageKind({
  key: ({
    proposal,
    to,
  }: {
    proposal: Proposal;
    group: WorkGroup;
    decision: Decision;
    core: Proposal | null;
    to: string;
  }) => `${proposal.id}:${to}`,
  render: ({ proposal, group, decision, core }) => groupOutcomeMessage(proposal, group, decision, core),
  failure: {
    means: 'a representative did not hear how the work group’s vote on ending it closed',
    told: 'nobody',
  },
});

/**
 * The Core's proposal from a work group's decision opened after its close had failed to open it: in the
 * group vote's thread and the backbone channel, once each (`proposal:where`).
 */
export const partnership_core_opened = messageKind({
  key: ({
    groupVote,
    where,
  }: {
    groupVote: Proposal;
    group: WorkGroup;
    core: Proposal;
    where: 'thread' | 'backbone';
  }) => `${groupVote.id}:${where}`,
  render: ({ groupVote, group, core }) => coreOpenedLateMessage(groupVote, group, core),
  failure: {
    means:
      'the work group and the backbone did not hear that the Core’s vote on ending its partnership opened',
    told: 'backbone',
  },
});
