import type { Standing } from '../services/authorization.js';
import type { Refusal } from '../services/roles.js';
import { channel } from './text.js';

/** Every refusal says who may do the thing, so the person knows whom to ask. */
export function refusalText(refusal: Refusal, what: string): string {
  switch (refusal.reason) {
    case 'not-admin':
      return `Only a workspace admin or owner (or a Concert admin named at install) can ${what} before Concert is set up. Ask one of them to run \`/concert setup\`.`;
    case 'not-set-up':
      return `Concert isn’t set up yet, so nobody can ${what}. A workspace admin or owner runs \`/concert setup\` first to choose the Core and backbone channels.`;
    case 'not-backbone':
      return `Only members of the backbone channel ${channel(refusal.backboneChannelId)} can ${what}. Ask one of them, or ask to join the channel.`;
  }
}

/** Why Concert takes nothing from this account at all, and who can act instead. */
export function standingRefusalText(reason: Extract<Standing, { ok: false }>['reason']): string {
  switch (reason) {
    case 'bot':
      return 'Concert takes actions only from people of this workspace, not from apps. Nothing was done.';
    case 'deactivated':
      return 'This Slack account is deactivated, so Concert takes nothing from it. Nothing was done; a workspace admin can reactivate it.';
    case 'other-workspace':
      return 'Only people of this workspace can use its Concert; you belong to another one. Nothing was done.';
  }
}
