// Runs one of Concert's TypeScript entry points with plain Node: `node scripts/run.mjs src/main.ts [args…]`.
// The programs (src/main.ts, src/db/migrate-cli.ts, and the entry asked for) are bundled by esbuild with the
// sources they import into dist/, each at its source's path, the first time and again whenever any source (src/
// or migrations/) changed; otherwise dist/ is run as it is. Node then loads only JavaScript, with no loader
// hooks. Types are not checked here: `npm run typecheck` does that.
// `node scripts/run.mjs --build` only brings dist/ up to date (for a read-only deployment, say).
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = ['src', 'migrations'];
const DIST = path.join(ROOT, 'dist');
const DIGEST = path.join(DIST, '.sources-digest');
/** The programs always built: the app (and its sandbox) and the migrations' command. */
const PROGRAMS = ['src/main.ts', 'src/db/migrate-cli.ts'];

/** Every TypeScript source under SOURCES, relative to the root, in a stable order. */
function sources() {
  const files = [];
  for (const top of SOURCES) {
    for (const entry of readdirSync(path.join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        files.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)));
      }
    }
  }
  return files.sort();
}

/** A digest of the programs, the sources' paths and contents, this file and the compiler's version: what dist/ was made from. */
function digestOf(programs, files, compilerVersion) {
  const hash = createHash('sha256');
  hash.update(`${compilerVersion}\0${readFileSync(import.meta.filename)}\0${programs.join('\0')}\0`);
  for (const file of files) hash.update(`${file}\0${readFileSync(path.join(ROOT, file))}\0`);
  return hash.digest('hex');
}

function builtDigest() {
  return existsSync(DIGEST) ? readFileSync(DIGEST, 'utf8') : '';
}

/**
 * Packages left out of the bundle, loaded from node_modules as they are: those that find files of their own
 * beside their code (PGlite's WebAssembly and data, resvg's native binary, the fonts), those loaded only when
 * needed (Vega and Vega-Lite, at the first chart), pino (its transports run its files in worker threads),
 * pg's optional native binding, and esbuild itself.
 */
const EXTERNAL = [
  '@electric-sql/pglite',
  '@resvg/resvg-js',
  'dejavu-fonts-ttf',
  'vega',
  'vega-lite',
  'pino',
  'pg-native',
  'esbuild',
];

/** Bundles the programs, with the sources and packages they import, into a fresh directory beside dist/, then puts it in dist/'s place. */
async function build(programs, digest) {
  const esbuild = await import('esbuild');
  const staging = mkdtempSync(path.join(ROOT, '.dist-'));
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: programs,
      outdir: staging,
      outbase: '.',
      format: 'esm',
      platform: 'node',
      target: 'node22',
      // Each program is one module with the sources and packages it imports, and what programs share (or load
      // later: the sandbox, say) in chunks: Node then resolves and reads about ten files at start, not hundreds
      // (each source its own module cost 0.15 s more of the ESM loader's work at every start).
      bundle: true,
      splitting: true,
      external: EXTERNAL,
      // Bundled CommonJS packages call require() for Node's own modules.
      banner: {
        js: "import { createRequire as __concertRequire } from 'node:module'; const require = __concertRequire(import.meta.url);",
      },
      // Without comments or indentation, and licence comments in a file beside each chunk: esbuild escapes text
      // past ASCII, and a comment with one such character made V8 hold the whole chunk at two bytes a
      // character (7.4 MB for the largest). Idle on PostgreSQL: 116–138 MB before, 100 MB after. Names are
      // kept, and the source maps still give stack traces their TypeScript lines.
      minifyWhitespace: true,
      legalComments: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      tsconfig: 'tsconfig.json',
      logLevel: 'warning',
    });
    writeFileSync(path.join(staging, '.sources-digest'), digest);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(staging, DIST);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another start made the same dist/ at the same moment: use it.
    if (builtDigest() !== digest) throw error;
  }
}

async function upToDate(programs, files) {
  const manifest = createRequire(import.meta.url).resolve('esbuild/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const digest = digestOf(programs, files, version);
  if (builtDigest() !== digest) await build(programs, digest);
}

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node scripts/run.mjs src/<entry>.ts [arguments…] | --build\n');
  process.exit(2);
}
const files = sources();
const asked = entry === '--build' ? undefined : path.relative(ROOT, path.resolve(ROOT, entry));
if (asked !== undefined && !files.includes(asked)) {
  process.stderr.write(`${entry}: no such source under ${SOURCES.join(' or ')}\n`);
  process.exit(2);
}
const programs = [
  ...new Set([...PROGRAMS.filter((program) => files.includes(program)), ...(asked ? [asked] : [])]),
];
await upToDate(programs, files);
if (asked !== undefined) {
  const compiled = path.join(DIST, asked.replace(/\.ts$/, '.js'));
  // Stack traces name the TypeScript lines; Node 22+ also keeps compiled code between starts.
  process.setSourceMapsEnabled(true);
  module.enableCompileCache?.();
  process.argv = [process.argv[0], compiled, ...args];
  await import(pathToFileURL(compiled).href);
}
