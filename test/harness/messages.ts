import { MESSAGES } from '../../src/messages/index.js';
import { useMessages } from '../../src/services/outgoing.js';

// Each test file's process composes Concert as main.ts does: the services are handed the message registry.
useMessages(MESSAGES);
