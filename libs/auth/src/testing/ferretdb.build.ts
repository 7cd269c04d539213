import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SOURCE_MARKER = join('tools', 'ferretdb', 'go.mod');
const LOCK_STALE_MS = 10 * 60_000;
const LOCK_POLL_MS = 250;

/**
 * Thrown when the Go toolchain needed to build the embedded FerretDB is not on `PATH`.
 */
export class GoToolchainMissingError extends Error {
  constructor() {
    super('Go is not on PATH, so the embedded FerretDB server cannot be built (install Go >= 1.24, or set MONGODB_URI)');
    this.name = 'GoToolchainMissingError';
  }
}

/**
 * The `tools/ferretdb` folder (the Go program embedding FerretDB), found by walking up
 * from each starting folder; `undefined` when this checkout has none.
 */
export function findFerretdbSource(startFolders: string[] = [process.cwd(), __dirname]): string | undefined {
  for (const start of startFolders) {
    for (let folder = resolve(start); ; folder = dirname(folder)) {
      if (existsSync(join(folder, SOURCE_MARKER))) return dirname(join(folder, SOURCE_MARKER));
      if (dirname(folder) === folder) break;
    }
  }
  return undefined;
}

/**
 * Path of the FerretDB program built from `sourceDir`, building it first when it is missing
 * or older than its sources (`go.mod`, `go.sum`, `*.go`) or the Go version. Concurrent callers
 * (several Jest processes) wait for one build instead of starting their own.
 *
 * @throws GoToolchainMissingError when `go` is not on `PATH`.
 * @throws Error with the compiler's last output lines when the build fails.
 */
export async function ensureFerretdbBinary(
  sourceDir: string,
  log: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const binDir = join(sourceDir, 'bin');
  const binary = join(binDir, 'ferretdb');
  const stampFile = join(binDir, 'ferretdb.stamp');
  const stamp = sourceStamp(sourceDir, goVersion(env));
  const isCurrent = () => existsSync(binary) && readIfExists(stampFile) === stamp;

  if (isCurrent()) return binary;
  mkdirSync(binDir, { recursive: true });
  const lock = join(binDir, '.build-lock');
  await acquireLock(lock);
  try {
    if (isCurrent()) return binary;
    log(`building the embedded FerretDB server (go build in ${sourceDir}); the first build takes about a minute`);
    const started = Date.now();
    const temporary = `${binary}.${process.pid}.tmp`;
    await goBuild(sourceDir, temporary, env);
    renameSync(temporary, binary);
    writeFileSync(stampFile, stamp);
    log(`built the embedded FerretDB server in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return binary;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function goVersion(env: NodeJS.ProcessEnv): string {
  const result = spawnSync('go', ['version'], { env, encoding: 'utf8', timeout: 15_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new GoToolchainMissingError();
  if (result.error || result.status !== 0) {
    throw new Error(`\`go version\` failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  return result.stdout.trim();
}

function sourceStamp(sourceDir: string, version: string): string {
  const hash = createHash('sha256').update(version);
  const sources = readdirSync(sourceDir)
    .filter((name) => name === 'go.mod' || name === 'go.sum' || name.endsWith('.go'))
    .sort();
  for (const name of sources) hash.update(name).update(readFileSync(join(sourceDir, name)));
  return hash.digest('hex');
}

function goBuild(sourceDir: string, output: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolveBuild, rejectBuild) => {
    const build = spawn('go', ['build', '-trimpath', '-o', output, '.'], { cwd: sourceDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    build.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    build.on('error', rejectBuild);
    build.on('close', (code) => {
      if (code === 0) return resolveBuild();
      rmSync(output, { force: true });
      rejectBuild(new Error(`go build of the embedded FerretDB failed (exit ${code}):\n${lastLines(stderr, 20)}`));
    });
  });
}

async function acquireLock(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (isStale(lock)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((wake) => setTimeout(wake, LOCK_POLL_MS));
    }
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * The last `count` non-empty lines of a text, joined by newlines.
 */
export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
