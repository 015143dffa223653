import type { App, BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
import {
  ACTION_STEP,
  CHECKIN,
  DIGEST,
  HOME,
  INDICATOR,
  JOIN,
  PROPOSAL,
  WORK_GROUP,
} from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { skipCheckinButton, startCheckinButton, startGroupCheckinButton } from './checkin-buttons.js';
import { digestButton } from './digest-buttons.js';
import { openIndicatorModal } from './indicator-buttons.js';
import { proposeFromRequestButton } from './join-buttons.js';
import { proposalMenu, supportReasonButton, voteButton } from './proposal-buttons.js';
import {
  earlierTextsButton,
  keepPositionButton,
  resolveConcernButton,
  writeStatementButton,
} from './proposal-concern-buttons.js';
import { openSetupFromHome } from './setup-button.js';
import { stepButton } from './step-buttons.js';
import { openWorkGroupModal } from './work-group-buttons.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(WORK_GROUP.ADD, openWorkGroupModal(deps));
  app.action<BlockButtonAction>(WORK_GROUP.EDIT, openWorkGroupModal(deps));
  app.action<BlockButtonAction>(INDICATOR.ADD, openIndicatorModal(deps));
  app.action<BlockButtonAction>(INDICATOR.EDIT, openIndicatorModal(deps));
  app.action<BlockButtonAction>(HOME.OPEN_SETUP, openSetupFromHome(deps));
  app.action<BlockButtonAction>(ACTION_STEP.DONE, stepButton(deps, 'done'));
  app.action<BlockButtonAction>(ACTION_STEP.NEW_DATE, stepButton(deps, 'new-date'));
  app.action<BlockButtonAction>(ACTION_STEP.DROP, stepButton(deps, 'drop'));
  app.action<BlockButtonAction>(ACTION_STEP.SUPPORT, stepButton(deps, 'support'));
  app.action<BlockButtonAction>(ACTION_STEP.OPEN, stepButton(deps, 'open'));
  app.action<BlockButtonAction>(CHECKIN.START, startCheckinButton(deps));
  app.action<BlockButtonAction>(CHECKIN.EDIT, startCheckinButton(deps));
  app.action<BlockButtonAction>(CHECKIN.SKIP, skipCheckinButton(deps));
  app.action<BlockButtonAction>(DIGEST.POST, digestButton(deps, 'post'));
  app.action<BlockButtonAction>(DIGEST.NUDGE_ALL, digestButton(deps, 'nudge-all'));
  // One button per group in the same block, so each needs its own action ID.
  app.action<BlockButtonAction>(new RegExp(`^${CHECKIN.START_GROUP}_\\d+$`), startGroupCheckinButton(deps));
  app.action<BlockButtonAction>(PROPOSAL.SUPPORT, voteButton(deps, 'support'));
  app.action<BlockButtonAction>(PROPOSAL.STAND_ASIDE, voteButton(deps, 'stand_aside'));
  app.action<BlockButtonAction>(PROPOSAL.BLOCK, voteButton(deps, 'block'));
  app.action<BlockButtonAction>(PROPOSAL.SUPPORT_REASON, supportReasonButton(deps));
  app.action<BlockOverflowAction>(PROPOSAL.MORE, proposalMenu(deps));
  app.action<BlockButtonAction>(PROPOSAL.EARLIER_TEXTS, earlierTextsButton(deps));
  app.action<BlockButtonAction>(PROPOSAL.RESOLVE_CONCERN, resolveConcernButton(deps));
  app.action<BlockButtonAction>(PROPOSAL.KEEP_POSITION, keepPositionButton(deps));
  app.action<BlockButtonAction>(PROPOSAL.WRITE_STATEMENT, writeStatementButton(deps));
  app.action<BlockButtonAction>(JOIN.PROPOSE, proposeFromRequestButton(deps));
}
