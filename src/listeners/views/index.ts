import type { App } from '@slack/bolt';
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

export function register(app: App, deps: ListenerDeps): void {
  app.view(SETUP.CALLBACK, setupSubmitted(deps));
  app.view(WORK_GROUP.CALLBACK, workGroupSubmitted(deps));
  app.view(INDICATOR.CALLBACK, indicatorSubmitted(deps));
  app.view(ACTION_STEP.CALLBACK, actionStepSubmitted(deps));
  app.view(ACTION_STEP.NEW_DATE_CALLBACK, stepChangeSubmitted(deps, newDateChange));
  app.view(ACTION_STEP.DROP_CALLBACK, stepChangeSubmitted(deps, dropChange));
  app.view(ACTION_STEP.SUPPORT_CALLBACK, stepChangeSubmitted(deps, supportChange));
  app.view(CHECKIN.CALLBACK, checkinSubmitted(deps));
  app.view(PROPOSAL.KIND_CALLBACK, proposalKindSubmitted(deps));
  app.view(PROPOSAL.CALLBACK, proposalSubmitted(deps));
  app.view(PROPOSAL.VOTE_CALLBACK, voteSubmitted(deps));
  app.view(DATA_DELETION.CALLBACK, dataDeletionSubmitted(deps));
  app.view(PROPOSAL.CONCERN_CALLBACK, concernSubmitted(deps));
  app.view(PROPOSAL.AMEND_CALLBACK, amendSubmitted(deps));
  app.view(PROPOSAL.EXTEND_CALLBACK, extendSubmitted(deps));
  app.view(PROPOSAL.STATEMENT_CALLBACK, statementSubmitted(deps));
  app.view(JOIN.CALLBACK, joinSubmitted(deps));
}
