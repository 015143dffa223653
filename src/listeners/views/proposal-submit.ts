import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { findProposalByView, postedMessageOf } from '../../db/proposals.js';
import { findWorkspace } from '../../db/workspaces.js';
import { defaultClosing } from '../../services/closing-time.js';
import { deliverDue } from '../../services/delivery.js';
import { openFromForm } from '../../services/partnership-endings.js';
import {
  checkProposal,
  isProposalKind,
  mayProposeKind,
  type ProposalField,
  whoMayPropose,
  zoneOf,
} from '../../services/proposals.js';
import { rolesOf } from '../../services/roles.js';
import { queuedMessageStillWanted } from '../../services/still-wanted.js';
import { castVote, isBlockGround } from '../../services/votes.js';
import { webSender } from '../../slack/web-sender.js';
import { PROPOSAL } from '../../views/ids.js';
import {
  type ProposalModalMetadata,
  proposalModal,
  type VoteModalMetadata,
} from '../../views/proposal-modals.js';
import { voteRefusalText } from '../../views/proposal-refusals.js';
import { channel, escapeMrkdwn, user } from '../../views/text.js';
import type { ListenerDeps } from '../deps.js';
import { directoryFor, teamIdOf } from '../directory.js';
import { viewOnce } from '../interaction-key.js';
import { afterVote } from '../proposals.js';
import { tellUser } from '../reply.js';
import { blockErrors, stateReader, viewMetadata } from './state.js';

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const FIELD_BLOCKS: Record<ProposalField, { block: string; action: string }> = {
  kind: PROPOSAL.TITLE,
  title: PROPOSAL.TITLE,
  details: PROPOSAL.DETAILS,
  closeDate: PROPOSAL.CLOSE_DATE,
  closeTime: PROPOSAL.CLOSE_TIME,
  groupName: PROPOSAL.GROUP_NAME,
  groupChannel: PROPOSAL.GROUP_CHANNEL,
  workGroup: PROPOSAL.WORK_GROUP,
  backboneChannel: PROPOSAL.BACKBONE_CHANNEL,
  backboneTrigger: PROPOSAL.BACKBONE_TRIGGER,
};

function groundOf(value: string | null | undefined) {
  return isBlockGround(value) ? value : null;
}

/** The first form: the kind decides who may propose and what the second form asks. */
export function proposalKindSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const kind = stateReader(view.state.values).option(PROPOSAL.KIND);
    if (!isProposalKind(kind)) {
      await ack({
        response_action: 'errors',
        errors: { [PROPOSAL.KIND.block]: 'Choose what kind of proposal it is.' },
      });
      return;
    }
    const roles = await rolesOf(deps.db, teamId, userId);
    if (!mayProposeKind(roles, kind)) {
      await ack({ response_action: 'errors', errors: { [PROPOSAL.KIND.block]: whoMayPropose(kind) } });
      return;
    }
    const meta = viewMetadata<ProposalModalMetadata>(view.private_metadata);
    const tz = await zoneOf(deps.db, roles, userId);
    const closing = defaultClosing(deps.clock(), tz);
    await ack({
      response_action: 'update',
      view: proposalModal(
        kind,
        {
          title: meta.title ?? null,
          closeDate: closing.date,
          closeTime: closing.time,
          tz,
          represented: roles.representativeOf,
        },
        meta,
      ),
    });
  };
}

/**
 * The proposal itself: checked in full before Slack is answered, so mistakes show under their fields; then
 * opened and put to the Core in its channel. Slack waits only 3 s for the answer, and a form answered too
 * late stays open to be submitted again: it finds the proposal it opened and opens no other.
 */
export function proposalSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    if (await findProposalByView(deps.db, teamId, view.id)) {
      await ack();
      return;
    }
    const meta = viewMetadata<ProposalModalMetadata>(view.private_metadata);
    const read = stateReader(view.state.values);
    const group = read.option(PROPOSAL.WORK_GROUP);
    const now = deps.clock();
    const directory = directoryFor({ client, context });
    const check = await checkProposal(
      deps.db,
      directory,
      {
        teamId,
        proposerId: userId,
        draft: {
          kind: meta.kind ?? null,
          title: read.text(PROPOSAL.TITLE),
          details: read.text(PROPOSAL.DETAILS),
          closeDate: read.date(PROPOSAL.CLOSE_DATE),
          closeTime: read.time(PROPOSAL.CLOSE_TIME),
          groupName: read.text(PROPOSAL.GROUP_NAME),
          groupChannelId: read.conversation(PROPOSAL.GROUP_CHANNEL),
          workGroupId: group ? Number(group) : null,
          backboneChannelId: read.conversation(PROPOSAL.BACKBONE_CHANNEL),
          backboneTrigger: read.option(PROPOSAL.BACKBONE_TRIGGER),
          joinRequestId: meta.joinRequestId ?? null,
        },
      },
      now,
    );
    if (!check.ok) {
      await ack({ response_action: 'errors', errors: blockErrors(check.errors, FIELD_BLOCKS) });
      return;
    }
    await ack();
    const tell = (text: string) => tellUser({ client, userId, channelId: meta.channelId }, text);
    const title = `*${escapeMrkdwn(check.checked.title)}*`;
    const result = await openFromForm(deps.db, directory, check.checked, view.id, now);
    if (!result.ok) {
      await tell(`Your proposal ${title} was not opened: ${Object.values(result.errors).join(' ')}`);
      return;
    }
    // The first submission of this form tells the proposer; a second says nothing more.
    if (result.duplicate) return;
    const { proposal, postId } = result;
    const ids = result.ids ?? (postId ? [postId] : []);
    if (ids.length > 0)
      await deliverDue(deps.db, webSender(client), queuedMessageStillWanted(deps.db), now, deps.log, { ids });
    const posted = (await postedMessageOf(deps.db, teamId, proposal.id)) !== undefined;
    const where = channel(proposal.channel_id);
    const step = result.step
      ? ` Meanwhile ${user(result.step.owner_id)} of the backbone has the action step *${escapeMrkdwn(result.step.title)}*, to explore with the group’s representatives what support would let it continue.`
      : '';
    await tell(
      !posted
        ? `Your proposal ${title} is saved; Slack did not take the message to ${where} yet, and Concert will keep trying.${step}`
        : proposal.stage === 'group'
          ? `Your proposal ${title} is in ${where} for the work group’s own decision first: only if its members agree by consensus does it go to the Core, presented by its representatives.${step}`
          : `Your proposal ${title} is in ${where} for the Core’s vote.`,
    );
  };
}

/** A position with its reason: Stand aside and Block need one, Support may give one. */
export function voteSubmitted(deps: ListenerDeps) {
  return async ({ ack, view, body, client, context }: SubmitArgs) => {
    const teamId = teamIdOf({ context, body });
    const userId = body.user.id;
    const meta = viewMetadata<VoteModalMetadata>(view.private_metadata);
    const position = meta.position ?? 'support';
    const result = await castVote(
      deps.db,
      {
        teamId,
        proposalId: Number(meta.proposalId),
        voterId: userId,
        position,
        reason: stateReader(view.state.values).text(PROPOSAL.REASON),
        ground: groundOf(stateReader(view.state.values).option(PROPOSAL.GROUND)),
      },
      deps.clock(),
      viewOnce(teamId, view),
    );
    if (!result.ok) {
      if (result.reason === 'repeat') {
        await ack();
        return;
      }
      const error =
        result.reason === 'invalid'
          ? result.error
          : voteRefusalText(result, (await findWorkspace(deps.db, teamId))?.core_channel_id).replace(
              /\*/g,
              '',
            );
      const block =
        result.reason === 'invalid' && result.field === 'ground'
          ? PROPOSAL.GROUND.block
          : PROPOSAL.REASON.block;
      await ack({ response_action: 'errors', errors: { [block]: error } });
      return;
    }
    await ack();
    await afterVote(deps, { client, context }, teamId, userId, result, { channelId: meta.channelId });
  };
}
