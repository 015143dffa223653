export * from '../../src/sandbox/emulator/fake-slack.js';
