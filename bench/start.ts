import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeSlack } from '../src/sandbox/emulator/fake-slack.js';

/**
 * `npm run bench:start`: how long `npm start` takes, in a clean copy of this checkout with its packages
 * installed, until the page answers. Each figure stands beside a floor measured in the same run, so a busy
 * machine shows in both:
 *
 * - the floors: `node -e` starting a bare HTTP server, and `npm start` of a package whose start script is
 *   that same server, until it answers;
 * - the sandbox (`npm start` with no Slack credentials): its first start (no transpile cache, no data) and its
 *   second, until `GET /` answers, and until the seeded coalition is ready;
 * - the app with Slack credentials on the embedded database (Slack's Web API emulated here), until
 *   `GET /healthz` answers: its first start (new data directory) and its second (the same one).
 *
 * - idle memory: the resident set of the app's process once `/healthz` answers and it has sat idle for 3 s, on
 *   the embedded database and (with BENCH_DATABASE_URL) on PostgreSQL, beside a bare Bolt app listening on
 *   HTTP and the embedded database alone, opened as the app opens it, on the same data directory.
 *
 * The copy is made of the files git knows (with their changes), beside a link to this checkout's
 * node_modules; each run gets its own temporary directory, so no transpile cache is carried over from
 * elsewhere. Times are wall-clock milliseconds from spawning the command to the first good answer.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const TIMEOUT_MS = 120_000;
const POLL_MS = 10;

interface Started {
  ms: number;
  stop(): Promise<void>;
  child: ChildProcess;
}

/** A copy of the checkout's files, as a fresh clone would have them, with the installed packages linked. */
function cleanCopy(into: string): string {
  const dir = path.join(into, 'concert');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(path.join(ROOT, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits until `url` answers 2xx and `accept` takes its body; fails if the command ends or takes too long. */
async function answered(
  url: string,
  child: ChildProcess,
  output: () => string,
  accept: (body: string) => boolean = () => true,
): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the command ended (${child.exitCode ?? child.signalCode}) before ${url} answered:\n${output()}`,
      );
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok && accept(await response.text())) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s:\n${output()}`);
}

/** Runs `command` in its own process group, and times it until `url` answers. */
async function timeStart(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; url: string },
): Promise<Started> {
  let log = '';
  const began = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const stop = async () => {
    const pid = child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    // Until every process of the group has ended, so the next start finds its data directory free.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        process.kill(-pid, 0);
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    process.kill(-pid, 'SIGKILL');
  };
  try {
    await answered(options.url, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ms: performance.now() - began, stop, child };
}

function baseEnv(tmp: string, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(SLACK_|CONCERT_|DATABASE_URL$|PORT$|npm_)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, TMPDIR: tmp, PORT: String(port), CONCERT_ENV_FILE: '', LOG_LEVEL: 'warn' };
}

const BARE_SERVER = `require('node:http').createServer((_, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

async function floors(tmp: string): Promise<{ node: number; npm: number }> {
  const pkg = path.join(tmp, 'bare');
  mkdirSync(pkg);
  writeFileSync(
    path.join(pkg, 'package.json'),
    JSON.stringify({ name: 'bare', private: true, scripts: { start: `node -e "${BARE_SERVER}"` } }),
  );
  const node: number[] = [];
  const npm: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (const [list, command, args] of [
      [node, process.execPath, ['-e', BARE_SERVER]],
      [npm, 'npm', ['start']],
    ] as const) {
      const port = await freePort();
      const run = await timeStart(command, [...args], {
        cwd: pkg,
        env: baseEnv(tmp, port),
        url: `http://127.0.0.1:${port}/`,
      });
      list.push(run.ms);
      await run.stop();
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[1] as number;
  return { node: median(node), npm: median(npm) };
}

async function sandboxStart(dir: string, tmp: string): Promise<{ page: number; ready: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const run = await timeStart('npm', ['start'], { cwd: dir, env: baseEnv(tmp, port), url: `${url}/` });
  try {
    const began = performance.now() - run.ms;
    // The page's own state request, as the page polls it: same-origin, so the sandbox answers it.
    await answered(
      `${url}/api/state`,
      run.child,
      () => '',
      (body) => (JSON.parse(body) as { ready?: boolean }).ready === true,
    );
    return { page: run.ms, ready: performance.now() - began };
  } finally {
    await run.stop();
  }
}

const IDLE_MS = 3_000;

/** The largest resident set (MB) among the processes of `pid`'s group: the app, not npm around it. */
function groupRssMb(pid: number): number {
  let largest = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, pgrp, …
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pid) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      if (rss) largest = Math.max(largest, Number(rss[1]) / 1024);
    } catch {
      // The process ended while being read.
    }
  }
  return largest;
}

/** Starts `command` until `url` answers, lets it sit idle, and reads its resident set. */
async function idleRss(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; url: string },
): Promise<{ ms: number; mb: number }> {
  const run = await timeStart(command, args, options);
  try {
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { ms: run.ms, mb: groupRssMb(run.child.pid as number) };
  } finally {
    await run.stop();
  }
}

async function appStart(
  dir: string,
  tmp: string,
  slackApiUrl: string,
  database: { CONCERT_DATA_DIR: string } | { DATABASE_URL: string },
): Promise<{ ms: number; mb: number }> {
  const port = await freePort();
  const env = {
    ...baseEnv(tmp, port),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: '0'.repeat(32),
    SLACK_API_URL: slackApiUrl,
    ...database,
  };
  return idleRss('npm', ['start'], { cwd: dir, env, url: `http://127.0.0.1:${port}/healthz` });
}

/** Floors for idle memory: a bare Bolt app on HTTP, and the embedded database alone on the app's data directory. */
async function memoryFloors(
  dir: string,
  tmp: string,
  dataDir: string,
): Promise<{ bolt: number; pglite: number }> {
  const boltPort = await freePort();
  const bolt = `const { App } = require('@slack/bolt');
new App({
  token: 'xoxb-bench',
  signingSecret: '0'.repeat(32),
  tokenVerificationEnabled: false,
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_, res) => res.end('ok') }],
}).start(Number(process.env.PORT));`;
  const bare = await idleRss(process.execPath, ['-e', bolt], {
    cwd: dir,
    env: baseEnv(tmp, boltPort),
    url: `http://127.0.0.1:${boltPort}/healthz`,
  });
  const pglitePort = await freePort();
  const alone = await idleRss(process.execPath, ['--import', 'tsx', 'bench/pglite-alone.ts'], {
    cwd: dir,
    env: { ...baseEnv(tmp, pglitePort), DATA_DIR: dataDir },
    url: `http://127.0.0.1:${pglitePort}/`,
  });
  return { bolt: bare.mb, pglite: alone.mb };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'concert-bench-start-'));
  const fake = await FakeSlack.start();
  try {
    const dir = cleanCopy(tmp);
    const floor = await floors(tmp);
    const first = await sandboxStart(dir, tmp);
    const second = await sandboxStart(dir, tmp);
    const dataDir = path.join(tmp, 'data');
    const appFirst = await appStart(dir, tmp, `${fake.url}`, { CONCERT_DATA_DIR: dataDir });
    const appSecond = await appStart(dir, tmp, `${fake.url}`, { CONCERT_DATA_DIR: dataDir });
    const server = process.env.BENCH_DATABASE_URL;
    const onServer = server ? await appStart(dir, tmp, `${fake.url}`, { DATABASE_URL: server }) : undefined;
    const memory = await memoryFloors(dir, tmp, dataDir);

    const ms = (value: number) => Math.round(value).toLocaleString('en-US');
    const rows: [string, number, number][] = [
      ['sandbox: the page answers', first.page, second.page],
      ['sandbox: the coalition is seeded and ready', first.ready, second.ready],
      [
        'app on the embedded database (first: a new data directory): /healthz answers',
        appFirst.ms,
        appSecond.ms,
      ],
    ];
    const mb = (value: number) => `${Math.round(value)} MB`;
    const out = [
      `npm start in a clean copy of ${ROOT}, on Node ${process.versions.node}: milliseconds from the command`,
      'to the first good answer (the second start reuses the first one’s dist/, caches and data).',
      '',
      '| what | first start | second start | floor: `npm start` of a bare server | floor: `node -e` bare server |',
      '|---|---|---|---|---|',
      ...rows.map(
        ([what, a, b]) => `| ${what} | ${ms(a)} | ${ms(b)} | ${ms(floor.npm)} | ${ms(floor.node)} |`,
      ),
      '',
      `Idle memory (resident set ${IDLE_MS / 1000} s after /healthz answered):`,
      '',
      '| what | app | floor: bare Bolt app | floor: PGlite alone |',
      '|---|---|---|---|',
      `| embedded database (second start) | ${mb(appSecond.mb)} | ${mb(memory.bolt)} | ${mb(memory.pglite)} |`,
      ...(onServer
        ? [`| PostgreSQL (start: ${ms(onServer.ms)} ms) | ${mb(onServer.mb)} | ${mb(memory.bolt)} | |`]
        : []),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await fake.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
