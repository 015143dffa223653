import type { ModalView } from '@slack/types';
import type { JoinRequest } from '../db/schema.js';
import { JOIN_PURPOSE_MAX } from '../services/join-requests.js';
import { WORK_GROUP_NAME_MAX } from '../services/work-groups.js';
import { context, type Message, section } from './blocks.js';
import { JOIN } from './ids.js';
import { channelInput, checkboxesInput, option, textInput, userInput } from './inputs.js';
import { channel, escapeMrkdwn, plain, user, userMrkdwn } from './text.js';

/** Carried by the join form to its submission. */
export interface JoinModalMetadata {
  channelId?: string | undefined;
}

/** `/concert join`: a group's interest, and its willingness to meet the coalition's expectations. */
export function joinModal(
  meta: JoinModalMetadata,
  defaults: { channelId: string | null; contactId: string },
): ModalView {
  return {
    type: 'modal',
    callback_id: JOIN.CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain('Join the coalition', 24),
    submit: plain('Send to the backbone', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(
        'A group joins the coalition as a work group once the Core agrees by consensus. Tell the backbone who you are; they put it to the Core.',
      ),
      textInput(JOIN.NAME, 'Group name', null, WORK_GROUP_NAME_MAX),
      channelInput(
        JOIN.CHANNEL,
        'The group’s channel',
        defaults.channelId,
        'Everyone in it would be a member of the work group.',
      ),
      textInput(JOIN.PURPOSE, 'Purpose', null, JOIN_PURPOSE_MAX, {
        multiline: true,
        hint: 'What the group works on, and how it serves the common agenda.',
      }),
      userInput(JOIN.CONTACT, 'Contact', defaults.contactId, { hint: 'Who the backbone can talk to.' }),
      checkboxesInput(
        JOIN.WILLING,
        'The coalition’s expectations',
        [option('We are willing to check in weekly and to do what we say we are going to do', 'willing')],
        [],
      ),
    ],
  };
}

/** In the backbone channel: a group's request to join, with the button that opens the proposal. */
export function joinRequestMessage(request: JoinRequest): Message {
  const text = `:wave: *${escapeMrkdwn(request.group_name)}* wants to join the coalition as a work group, in ${channel(request.channel_id)}. Contact: ${user(request.contact_id)} (asked by ${user(request.requested_by)}). They are willing to meet the coalition’s expectations.\n>${userMrkdwn(request.purpose).replace(/\n/g, '\n>')}`;
  return {
    text: `${escapeMrkdwn(request.group_name)} wants to join the coalition`,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: `join_request_${request.id}`,
        elements: [
          {
            type: 'button',
            action_id: JOIN.PROPOSE,
            text: plain('Propose adding this group'),
            style: 'primary',
            value: String(request.id),
          },
        ],
      },
      context('Opens the “add a work group” proposal, prefilled, for the Core’s consensus.'),
    ],
  };
}
