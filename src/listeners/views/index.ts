import {
  ACTION_STEP,
  CHECKIN,
  DATA_DELETION,
  INDICATOR,
  JOIN,
  PROPOSAL,
  SETUP,
  WORK_GROUP,
} from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import type { Routes } from '../routes.js';
import {
  actionStepSubmitted,
  dropChange,
  newDateChange,
  stepChangeSubmitted,
  supportChange,
} from './action-step-submit.js';
import { checkinSubmitted } from './checkin-submit.js';
import { dataDeletionSubmitted } from './data-deletion-submit.js';
import { indicatorSubmitted } from './indicator-submit.js';
import { joinSubmitted } from './join-submit.js';
import { amendSubmitted, concernSubmitted } from './proposal-change-submit.js';
import { extendSubmitted, statementSubmitted } from './proposal-record-submit.js';
import { proposalKindSubmitted, proposalSubmitted, voteSubmitted } from './proposal-submit.js';
import { setupSubmitted } from './setup-submit.js';
import { workGroupSubmitted } from './work-group-submit.js';

export function register(routes: Routes, deps: ListenerDeps): void {
  routes.view(SETUP.CALLBACK, setupSubmitted(deps));
  routes.view(WORK_GROUP.CALLBACK, workGroupSubmitted(deps));
  routes.view(INDICATOR.CALLBACK, indicatorSubmitted(deps));
  routes.view(ACTION_STEP.CALLBACK, actionStepSubmitted(deps));
  routes.view(ACTION_STEP.NEW_DATE_CALLBACK, stepChangeSubmitted(deps, newDateChange));
  routes.view(ACTION_STEP.DROP_CALLBACK, stepChangeSubmitted(deps, dropChange));
  routes.view(ACTION_STEP.SUPPORT_CALLBACK, stepChangeSubmitted(deps, supportChange));
  routes.view(CHECKIN.CALLBACK, checkinSubmitted(deps));
  routes.view(PROPOSAL.KIND_CALLBACK, proposalKindSubmitted(deps));
  routes.view(PROPOSAL.CALLBACK, proposalSubmitted(deps));
  routes.view(PROPOSAL.VOTE_CALLBACK, voteSubmitted(deps));
  routes.view(DATA_DELETION.CALLBACK, dataDeletionSubmitted(deps));
  routes.view(PROPOSAL.CONCERN_CALLBACK, concernSubmitted(deps));
  routes.view(PROPOSAL.AMEND_CALLBACK, amendSubmitted(deps));
  routes.view(PROPOSAL.EXTEND_CALLBACK, extendSubmitted(deps));
  routes.view(PROPOSAL.STATEMENT_CALLBACK, statementSubmitted(deps));
  routes.view(JOIN.CALLBACK, joinSubmitted(deps));
}
