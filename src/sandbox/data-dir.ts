import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The file that marks a directory as the sandbox's own, so that a later start may empty it. */
export const SANDBOX_MARKER = '.concert-sandbox';

const MARKER_TEXT = 'Concert’s sandbox keeps its data here and empties this directory at every start.\n';

/**
 * Why the sandbox may not keep its data in `dir`, or undefined when it may. The directory is emptied at
 * every start, so it must be new, empty, or marked as the sandbox's by an earlier start, and it must never
 * be or hold the app's own embedded data.
 */
export function dataDirProblem(dir: string, appDataDir: string | undefined): string | undefined {
  const resolved = path.resolve(dir);
  if (appDataDir !== undefined) {
    const app = path.relative(resolved, path.resolve(appDataDir));
    if (app === '')
      return `${resolved} is the app’s own data directory (CONCERT_DATA_DIR); give the sandbox another`;
    if (!app.startsWith('..') && !path.isAbsolute(app))
      return `${resolved} holds the app’s own data directory (CONCERT_DATA_DIR); give the sandbox another`;
  }
  if (!existsSync(resolved)) return undefined;
  if (!statSync(resolved).isDirectory()) return `${resolved} is a file, not a directory`;
  const entries = readdirSync(resolved);
  if (entries.length === 0 || entries.includes(SANDBOX_MARKER)) return undefined;
  return `${resolved} holds files that are not the sandbox’s, and the sandbox empties its directory at every start; name a new or empty directory (or delete this one, if an older sandbox left it)`;
}

/** Empties the sandbox's directory and marks it as the sandbox's; returns the database's directory inside it. */
export function freshDataDir(dir: string, appDataDir: string | undefined): string {
  const problem = dataDirProblem(dir, appDataDir);
  if (problem) throw new Error(problem);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, SANDBOX_MARKER), MARKER_TEXT);
  return path.join(dir, 'database');
}
