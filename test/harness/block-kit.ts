export * from '../../src/sandbox/emulator/block-kit.js';
