import type { MessageShortcut } from '@slack/bolt';
import { SHORTCUT } from '../../views/ids.js';
import type { ListenerDeps } from '../deps.js';
import type { Routes } from '../routes.js';
import { makeActionStepShortcut } from './make-action-step.js';

export function register(routes: Routes, deps: ListenerDeps): void {
  routes.shortcut<MessageShortcut>(SHORTCUT.MAKE_ACTION_STEP, makeActionStepShortcut(deps));
}
