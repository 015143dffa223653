import type { App } from '@slack/bolt';
import { SETUP, WORK_GROUP } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { setupSubmitted } from './setup-submit.js';
import { workGroupSubmitted } from './work-group-submit.js';

export function register(app: App, deps: ListenerDeps): void {
  app.view(SETUP.CALLBACK, setupSubmitted(deps));
  app.view(WORK_GROUP.CALLBACK, workGroupSubmitted(deps));
}
