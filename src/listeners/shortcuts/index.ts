import type { App, MessageShortcut } from '@slack/bolt';
import { SHORTCUT } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import { makeActionStepShortcut } from './make-action-step.js';

export function register(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>(SHORTCUT.MAKE_ACTION_STEP, makeActionStepShortcut(deps));
}
