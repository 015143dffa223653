import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
let project: string;

/** `node scripts/run.mjs …` in the small project, as `npm start` runs it; its exit code and output. */
async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['scripts/run.mjs', ...args], {
      cwd: project,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  writeFileSync(path.join(project, file), text);
}

beforeAll(() => {
  // A project of two modules laid out as Concert is, with this checkout's packages.
  project = mkdtempSync(path.join(tmpdir(), 'concert-run-'));
  mkdirSync(path.join(project, 'scripts'));
  copyFileSync(path.join(root, 'scripts/run.mjs'), path.join(project, 'scripts/run.mjs'));
  copyFileSync(path.join(root, 'tsconfig.json'), path.join(project, 'tsconfig.json'));
  symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  mkdirSync(path.join(project, 'migrations'));
  write('package.json', '{ "type": "module" }\n');
  write(
    'src/main.ts',
    `import { Greeting } from './greeting.js';
process.stdout.write(\`\${new Greeting('one').text} \${process.argv.slice(2).join(' ')}\\n\`);`,
  );
  write('src/greeting.ts', 'export class Greeting {\n  constructor(readonly text: string) {}\n}\n');
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('npm start runs what is in src/', () => {
  it('transpiles the sources at the first start and runs the entry point with its arguments', async () => {
    expect(await run('src/main.ts', 'sandbox')).toEqual({ code: 0, stdout: 'one sandbox\n', stderr: '' });
    expect(existsSync(path.join(project, 'dist/src/greeting.js'))).toBe(true);
  });

  it('runs dist/ as it is while no source changed', async () => {
    const built = statSync(path.join(project, 'dist/src/greeting.js')).mtimeMs;
    expect((await run('src/main.ts')).stdout).toBe('one \n');
    expect(statSync(path.join(project, 'dist/src/greeting.js')).mtimeMs).toBe(built);
  });

  it('transpiles again when a source changed, and drops what a removed source left', async () => {
    write('src/main.ts', `process.stdout.write('two\\n');`);
    rmSync(path.join(project, 'src/greeting.ts'));
    expect(await run('src/main.ts')).toEqual({ code: 0, stdout: 'two\n', stderr: '' });
    expect(existsSync(path.join(project, 'dist/src/greeting.js'))).toBe(false);
  });

  it('says so, and exits 2, when the entry point is not among the sources', async () => {
    expect(await run('src/mian.ts')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'src/mian.ts: no such source under src or migrations\n',
    });
  });
});
