import { execFileSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The browser the sandbox's browser tests drive, found once per run before any test file starts:
 *
 * 1. `CHROMIUM_PATH`, when set (a Chromium or Chrome of your own);
 * 2. Debian's Chromium at /usr/bin/chromium, when installed;
 * 3. otherwise the Chromium that `npm install` brought (@sparticuz/chromium, a headless build shipped inside
 *    the package), unpacked once into node_modules/.cache/concert-browser/.
 *
 * Whichever it is gets the fonts the page needs besides the computer's own: Noto Color Emoji and Noto Sans
 * Arabic, SC (Chinese, with Japanese kana) and KR (Korean), from their npm packages, given to the browser
 * through a fontconfig file of its own. Nothing here skips a test: a browser that cannot be had is a
 * `problem`, and every browser test fails with it (test/sandbox/browser.ts).
 */
export interface ChromiumSetup {
  /** Which browser, in words, for messages. */
  source: string;
  executablePath: string;
  /** The environment the browser starts with, beside the test process's own. */
  env: Record<string, string>;
  /** Why no browser could be had, when none could. */
  problem?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumSetup;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const CACHE = path.join(ROOT, 'node_modules/.cache/concert-browser');
const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const FONT_PACKAGES = [
  '@fontsource/noto-color-emoji',
  '@fontsource-variable/noto-sans-arabic',
  '@fontsource-variable/noto-sans-sc',
  '@fontsource-variable/noto-sans-kr',
];

const require = createRequire(import.meta.url);

/** Where npm put a package this one depends on directly. */
function packageDir(pkg: string): string {
  return path.join(ROOT, 'node_modules', pkg);
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(path.join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string })
    .version;
}

/**
 * Makes `dir` once: `make` fills a fresh directory beside it, which then takes its place in one rename, so a run
 * stopped halfway, or two runs at once, never leave a half-made one behind.
 */
function once(dir: string, make: (staging: string) => void): string {
  if (existsSync(dir)) return dir;
  mkdirSync(path.dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.partial-`);
  try {
    make(staging);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return dir;
}

/**
 * @sparticuz/chromium's own unpacking (the browser, its graphics libraries, Open Sans, and the NSS libraries it
 * needs on a computer without them) into a directory of ours: it unpacks into the temporary directory, so it
 * runs in a child process whose TMPDIR is that directory.
 */
function unpackedChromium(): string {
  const version = versionOf('@sparticuz/chromium');
  const bin = path.join(packageDir('@sparticuz/chromium'), 'bin');
  return once(path.join(CACHE, `chromium-${version}`), (staging) => {
    const script = `const { default: chromium, inflate } = await import('@sparticuz/chromium');
      await chromium.executablePath();
      await inflate(${JSON.stringify(path.join(bin, 'al2023.tar.br'))});`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: staging },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  });
}

/** The font packages' WOFF2 files as TrueType, which the browser's fontconfig reads (it skips WOFF2). */
async function fontDirectory(): Promise<string> {
  const key = FONT_PACKAGES.map((pkg) => `${pkg.replace(/[@/]/g, '_')}-${versionOf(pkg)}`).join('.');
  const dir = path.join(CACHE, `fonts-${key}`);
  if (existsSync(dir)) return dir;
  const { decompress } = require('wawoff2') as { decompress(woff2: Uint8Array): Promise<Uint8Array> };
  const fonts = new Map<string, Uint8Array>();
  for (const pkg of FONT_PACKAGES) {
    const files = path.join(packageDir(pkg), 'files');
    for (const name of readdirSync(files).filter((file) => file.endsWith('.woff2'))) {
      // A copy: the decoder hands back a view of its own memory, which its next call overwrites.
      const font = await decompress(readFileSync(path.join(files, name)));
      fonts.set(name.replace(/\.woff2$/, '.ttf'), Uint8Array.from(font));
    }
  }
  return once(dir, (staging) => {
    for (const [name, font] of fonts) writeFileSync(path.join(staging, name), font);
  });
}

/**
 * A fontconfig file: the fonts given here and the computer's own (if it has any), with a cache of their own, so
 * a browser scans them once, not at every start.
 */
function fontconfigFile(fontDirs: string[]): string {
  const cache = path.join(CACHE, 'fontconfig');
  mkdirSync(cache, { recursive: true });
  const file = path.join(CACHE, 'fonts.conf');
  const dirs = fontDirs.map((dir) => `  <dir>${dir}</dir>`).join('\n');
  const config = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <cachedir>${cache}</cachedir>
${dirs}
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
</fontconfig>
`;
  // Rewritten only when it changes, so a browser of another run starting now never reads half a file.
  if (!existsSync(file) || readFileSync(file, 'utf8') !== config) writeFileSync(file, config);
  return file;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether the dynamic linker finds every library `binary` needs on this computer. */
function librariesFound(binary: string): boolean {
  try {
    return !execFileSync('ldd', [binary], { encoding: 'utf8' }).includes('not found');
  } catch {
    return false;
  }
}

async function findChromium(): Promise<ChromiumSetup> {
  const fonts = await fontDirectory();
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    const env = { FONTCONFIG_FILE: fontconfigFile([fonts]) };
    const source = `CHROMIUM_PATH (${chosen})`;
    if (!executable(chosen))
      return { source, executablePath: chosen, env, problem: 'no executable file there' };
    return { source, executablePath: chosen, env };
  }
  if (executable(DEBIAN_CHROMIUM)) {
    return {
      source: `Debian's Chromium (${DEBIAN_CHROMIUM})`,
      executablePath: DEBIAN_CHROMIUM,
      env: { FONTCONFIG_FILE: fontconfigFile([fonts]) },
    };
  }
  const dir = unpackedChromium();
  const executablePath = path.join(dir, 'chromium');
  const env: Record<string, string> = { FONTCONFIG_FILE: fontconfigFile([path.join(dir, 'fonts'), fonts]) };
  // The libraries it brings serve only where the computer has none of its own.
  if (!librariesFound(executablePath)) {
    env.LD_LIBRARY_PATH = [path.join(dir, 'al2023/lib'), process.env.LD_LIBRARY_PATH]
      .filter(Boolean)
      .join(':');
  }
  return { source: `@sparticuz/chromium ${versionOf('@sparticuz/chromium')}`, executablePath, env };
}

export default async function setup(project: TestProject): Promise<void> {
  try {
    project.provide('chromium', await findChromium());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    project.provide('chromium', {
      source: 'the browser and fonts npm installed',
      executablePath: '',
      env: {},
      problem: `they could not be made ready in ${CACHE}: ${reason}`,
    });
  }
}
