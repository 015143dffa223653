import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirProblem, freshDataDir, SANDBOX_MARKER } from '../../src/sandbox/data-dir.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'concert-sandbox-dir-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the sandbox’s data directory', () => {
  it('takes a new or empty directory, marks it, and empties it again at the next start', () => {
    const dir = path.join(root, 'sandbox');
    expect(dataDirProblem(dir, undefined)).toBeUndefined();
    expect(freshDataDir(dir, undefined)).toBe(path.join(dir, 'database'));
    expect(readdirSync(dir)).toEqual([SANDBOX_MARKER]);
    mkdirSync(path.join(dir, 'database'));
    writeFileSync(path.join(dir, 'database', 'PG_VERSION'), '17');
    expect(dataDirProblem(dir, undefined)).toBeUndefined();
    freshDataDir(dir, undefined);
    expect(readdirSync(dir)).toEqual([SANDBOX_MARKER]);
    mkdirSync(path.join(root, 'empty'));
    expect(dataDirProblem(path.join(root, 'empty'), undefined)).toBeUndefined();
  });

  it('refuses a directory holding anything that is not the sandbox’s, and deletes nothing', () => {
    const dir = path.join(root, 'thesis');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'chapter-1.md'), 'precious');
    expect(dataDirProblem(dir, undefined)).toBe(
      `${dir} holds files that are not the sandbox’s, and the sandbox empties its directory at every start; name a new or empty directory (or delete this one, if an older sandbox left it)`,
    );
    expect(() => freshDataDir(dir, undefined)).toThrow(/holds files that are not the sandbox’s/);
    expect(existsSync(path.join(dir, 'chapter-1.md'))).toBe(true);
    writeFileSync(path.join(root, 'file'), '');
    expect(dataDirProblem(path.join(root, 'file'), undefined)).toBe(
      `${path.join(root, 'file')} is a file, not a directory`,
    );
  });

  it('refuses the app’s own data directory, or one holding it, even when empty or marked', () => {
    const app = path.join(root, '.concert');
    expect(dataDirProblem(app, app)).toBe(
      `${app} is the app’s own data directory (CONCERT_DATA_DIR); give the sandbox another`,
    );
    writeFileSync(path.join(root, SANDBOX_MARKER), '');
    expect(dataDirProblem(root, `${app}/`)).toBe(
      `${root} holds the app’s own data directory (CONCERT_DATA_DIR); give the sandbox another`,
    );
    expect(dataDirProblem(path.join(root, '.concert-sandbox-2'), app)).toBeUndefined();
  });
});
