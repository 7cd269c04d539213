import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { lastLines } from './ferretdb.build';
import type { StartedMongo } from './mongo-server.types';

const STDERR_TAIL_LINES = 20;
const STOP_GRACE_MS = 5_000;
const DEFAULT_READY_TIMEOUT_MS = 30_000;

/**
 * Options of {@link startFerretdb}.
 */
export interface FerretdbProcessOptions {
  /** The program built by `ensureFerretdbBinary`. */
  binary: string;
  /** Where FerretDB keeps its SQLite files; a temporary folder, removed on stop, by default. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; a free one by default. */
  port?: number;
  /** How long to wait for the program to print its URI. Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * Starts the embedded FerretDB program and resolves once it accepts connections. The
 * program exits by itself when this process dies (it watches its stdin), so a crash of the
 * caller leaves no orphan.
 *
 * @throws Error with the program's last stderr lines when it exits or stays silent before it is ready.
 */
export function startFerretdb(options: FerretdbProcessOptions): Promise<StartedMongo> {
  const args = ['-listen', `127.0.0.1:${options.port ?? 0}`];
  if (options.dataDir) args.push('-data-dir', options.dataDir);
  // A process group of its own: a Ctrl-C in the terminal reaches the parent, which stops FerretDB after the app.
  const child = spawn(options.binary, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });

  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = lastLines(stderr + chunk.toString(), STDERR_TAIL_LINES) + '\n';
  });
  const stderrTail = () => `its last stderr lines:\n${lastLines(stderr, STDERR_TAIL_LINES) || '(none)'}`;
  const exitReport = (code: number | null, signal: NodeJS.Signals | null) =>
    `FerretDB (pid ${child.pid}) exited with ${signal ? `signal ${signal}` : `code ${code}`}; ${stderrTail()}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;

  return new Promise<StartedMongo>((resolveStart, rejectStart) => {
    const timeout = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`FerretDB did not print its URI within ${readyTimeoutMs} ms; ${stderrTail()}`));
    }, readyTimeoutMs);
    const notReady = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timeout);
      rejectStart(new Error(exitReport(code, signal)));
    };
    child.once('error', (error) => {
      clearTimeout(timeout);
      rejectStart(error);
    });
    child.once('exit', notReady);

    createInterface({ input: child.stdout }).once('line', (uri) => {
      clearTimeout(timeout);
      child.off('exit', notReady);
      resolveStart(runningServer(child, uri.trim(), exitReport));
    });
  });
}

function runningServer(
  child: ReturnType<typeof spawn>,
  uri: string,
  exitReport: (code: number | null, signal: NodeJS.Signals | null) => string,
): StartedMongo {
  let stopping = false;
  const crashListeners: Array<(error: Error) => void> = [];
  const exited = new Promise<void>((resolveExit) => {
    child.once('exit', (code, signal) => {
      if (!stopping) for (const listener of crashListeners) listener(new Error(exitReport(code, signal)));
      resolveExit();
    });
  });
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as Socket | null)?.unref();

  return {
    uri,
    kind: 'ferretdb',
    pid: child.pid,
    description: `embedded FerretDB (SQLite) at ${uri}, pid ${child.pid}`,
    onCrash: (listener) => crashListeners.push(listener),
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killLater = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(killLater);
    },
  };
}
