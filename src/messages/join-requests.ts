import type { JoinRequest } from '../db/schema.js';
import { messageKind } from '../services/outgoing.js';
import { joinRequestMessage } from '../views/join-requests.js';

/** A group's request to join, in the backbone channel with the button that proposes it: once per request. */
export const join_request = messageKind({
  key: ({ request }: { request: JoinRequest }) => String(request.id),
  render: ({ request }) => joinRequestMessage(request),
  failure: { means: 'the backbone did not hear of a group that wants to join', told: 'backbone' },
});
