import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
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
  const built = (file: string) => path.join(project, 'dist', file);

  it('bundles the program at the first start, its sources in one module, and runs it with its arguments', async () => {
    expect(await run('src/main.ts', 'sandbox')).toEqual({ code: 0, stdout: 'one sandbox\n', stderr: '' });
    expect(existsSync(built('src/main.js'))).toBe(true);
    expect(existsSync(built('src/greeting.js'))).toBe(false);
  });

  it('runs dist/ as it is while no source changed', async () => {
    const made = statSync(built('src/main.js')).mtimeMs;
    expect((await run('src/main.ts')).stdout).toBe('one \n');
    expect(statSync(built('src/main.js')).mtimeMs).toBe(made);
  });

  it('runs another source as a program of its own', async () => {
    write(
      'src/tool.ts',
      `import { Greeting } from './greeting.js';\nprocess.stdout.write(\`\${new Greeting('tool').text}\\n\`);`,
    );
    expect(await run('src/tool.ts')).toEqual({ code: 0, stdout: 'tool\n', stderr: '' });
    expect(existsSync(built('src/tool.js'))).toBe(true);
  });

  it('bundles again when a source changed, and drops what a removed source left', async () => {
    write('src/main.ts', `process.stdout.write('two\\n');`);
    rmSync(path.join(project, 'src/greeting.ts'));
    rmSync(path.join(project, 'src/tool.ts'));
    expect(await run('src/main.ts')).toEqual({ code: 0, stdout: 'two\n', stderr: '' });
    expect(existsSync(built('src/tool.js'))).toBe(false);
  });

  it('says so, and exits 2, when the entry point is not among the sources', async () => {
    expect(await run('src/mian.ts')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'src/mian.ts: no such source under src or migrations\n',
    });
  });

  it('writes the bundle in ASCII, so the engine holds its source at one byte a character, with errors still naming the TypeScript line', async () => {
    // Comments go (and licence comments to a file beside the bundle); other text is escaped. A source with
    // one character past ASCII would be held at two bytes a character (7 MB for the app's largest chunk).
    write(
      'src/fail.ts',
      `/*! A licence — kept apart. */\n// A comment — dropped.\nconst said: string = 'héllo — wörld';\nprocess.stdout.write(\`\${said}\\n\`);\nthrow new Error('on purpose');\n`,
    );
    const result = await run('src/fail.ts');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('héllo — wörld\n');
    expect(result.stderr).toMatch(/src\/fail\.ts:5/);
    const files = readdirSync(built(''), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.js'),
    );
    expect(files).toContain('src/fail.js');
    expect(readFileSync(built('src/fail.js.LEGAL.txt'), 'utf8')).toContain('A licence — kept apart.');
    for (const file of files) {
      const beyondAscii = [...readFileSync(built(file))].filter((byte) => byte > 0x7f);
      expect(beyondAscii, file).toEqual([]);
    }
  });
});
