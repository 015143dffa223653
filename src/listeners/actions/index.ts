import type { BlockButtonAction, BlockOverflowAction } from '@slack/bolt';
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
import type { Routes } from '../routes.js';
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

export function register(routes: Routes, deps: ListenerDeps): void {
  routes.action<BlockButtonAction>(WORK_GROUP.ADD, openWorkGroupModal(deps));
  routes.action<BlockButtonAction>(WORK_GROUP.EDIT, openWorkGroupModal(deps));
  routes.action<BlockButtonAction>(INDICATOR.ADD, openIndicatorModal(deps));
  routes.action<BlockButtonAction>(INDICATOR.EDIT, openIndicatorModal(deps));
  routes.action<BlockButtonAction>(HOME.OPEN_SETUP, openSetupFromHome(deps));
  routes.action<BlockButtonAction>(ACTION_STEP.DONE, stepButton(deps, 'done'));
  routes.action<BlockButtonAction>(ACTION_STEP.NEW_DATE, stepButton(deps, 'new-date'));
  routes.action<BlockButtonAction>(ACTION_STEP.DROP, stepButton(deps, 'drop'));
  routes.action<BlockButtonAction>(ACTION_STEP.SUPPORT, stepButton(deps, 'support'));
  routes.action<BlockButtonAction>(ACTION_STEP.OPEN, stepButton(deps, 'open'));
  routes.action<BlockButtonAction>(CHECKIN.START, startCheckinButton(deps));
  routes.action<BlockButtonAction>(CHECKIN.EDIT, startCheckinButton(deps));
  routes.action<BlockButtonAction>(CHECKIN.SKIP, skipCheckinButton(deps));
  routes.action<BlockButtonAction>(DIGEST.POST, digestButton(deps, 'post'));
  routes.action<BlockButtonAction>(DIGEST.NUDGE_ALL, digestButton(deps, 'nudge-all'));
  // One button per group in the same block, so each needs its own action ID.
  routes.action<BlockButtonAction>(
    new RegExp(`^${CHECKIN.START_GROUP}_\\d+$`),
    startGroupCheckinButton(deps),
  );
  routes.action<BlockButtonAction>(PROPOSAL.SUPPORT, voteButton(deps, 'support'));
  routes.action<BlockButtonAction>(PROPOSAL.STAND_ASIDE, voteButton(deps, 'stand_aside'));
  routes.action<BlockButtonAction>(PROPOSAL.BLOCK, voteButton(deps, 'block'));
  routes.action<BlockButtonAction>(PROPOSAL.SUPPORT_REASON, supportReasonButton(deps));
  routes.action<BlockOverflowAction>(PROPOSAL.MORE, proposalMenu(deps));
  routes.action<BlockButtonAction>(PROPOSAL.EARLIER_TEXTS, earlierTextsButton(deps));
  routes.action<BlockButtonAction>(PROPOSAL.RESOLVE_CONCERN, resolveConcernButton(deps));
  routes.action<BlockButtonAction>(PROPOSAL.KEEP_POSITION, keepPositionButton(deps));
  routes.action<BlockButtonAction>(PROPOSAL.WRITE_STATEMENT, writeStatementButton(deps));
  routes.action<BlockButtonAction>(JOIN.PROPOSE, proposeFromRequestButton(deps));
}
