import type { ActionStep, ChannelProblem } from '../db/schema.js';
import { messageKind } from '../services/outgoing.js';
import type { IsoDate } from '../services/time.js';
import {
  type ChannelRole,
  channelBackMessage,
  channelProblemMessage,
  deactivatedOwnerMessage,
} from '../views/lifecycle.js';

/**
 * The notice that Concert cannot post in a channel that carries a role, saying what to do: once per problem
 * (keyed by channel and when the problem began), to the backbone or, for the backbone channel itself, to
 * whoever set Concert up.
 */
export const channel_problem = messageKind({
  key: ({
    channelId,
    since,
  }: {
    channelId: string;
    role: ChannelRole;
    problem: ChannelProblem;
    since: Date;
  }) => `${channelId}:${since.toISOString()}`,
  render: ({ channelId, role, problem }) => channelProblemMessage(channelId, role, problem),
  failure: {
    means: 'nobody heard that Concert cannot post in a channel (its messages wait)',
    told: 'backbone',
  },
});

/** The notice that a channel Concert could not reach is back: once per problem that ended. */
export const channel_back = messageKind({
  key: ({ channelId, since }: { channelId: string; role: ChannelRole; since: Date }) =>
    `${channelId}:${since.toISOString()}`,
  render: ({ channelId, role }) => channelBackMessage(channelId, role),
  failure: { means: 'nobody heard that a channel is reachable again', told: 'backbone' },
});

/** Someone's account was deactivated: the backbone hears once which of their open steps need a new owner. */
export const person_deactivated = messageKind({
  key: ({
    userId,
    at,
  }: {
    userId: string;
    name: string;
    steps: readonly ActionStep[];
    today: IsoDate;
    at: Date;
  }) => `${userId}:${at.toISOString()}`,
  render: ({ userId, name, steps, today }) => deactivatedOwnerMessage(userId, name, steps, today),
  failure: { means: 'the backbone did not hear that a step owner left Slack', told: 'backbone' },
});
