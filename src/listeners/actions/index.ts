import type { App, BlockButtonAction } from '@slack/bolt';
import { HOME, WORK_GROUP } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { openSetupFromHome } from './setup-button.js';
import { openWorkGroupModal } from './work-group-buttons.js';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockButtonAction>(WORK_GROUP.ADD, openWorkGroupModal(deps));
  app.action<BlockButtonAction>(WORK_GROUP.EDIT, openWorkGroupModal(deps));
  app.action<BlockButtonAction>(HOME.OPEN_SETUP, openSetupFromHome(deps));
}
