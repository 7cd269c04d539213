import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { ServerMessage } from './server';

/** One row of the HTTP table. */
export interface HttpResult {
  route: string;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** The benchmarked API, running in its own process. */
export interface BenchServer {
  url: string;
  loopDelay<T>(during: () => Promise<T>): Promise<{ result: T; p50Ms: number; p99Ms: number; maxMs: number }>;
  stop(): Promise<void>;
}

const CONNECTIONS = 50;
const WARMUP_SECONDS = 2;

/** Starts `server.ts` in a child process on the given database. */
export async function startBenchServer(mongoUri: string): Promise<BenchServer> {
  const child = fork(join(__dirname, 'server.ts'), [], {
    env: { ...process.env, MONGODB_URI: mongoUri },
    execArgv: ['-r', '@swc-node/register'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage(child, 'ready');
  return {
    url: `http://127.0.0.1:${ready.port}`,
    loopDelay: async (during) => {
      child.send('loop-delay:start');
      const result = await during();
      child.send('loop-delay:stop');
      const { p50Ms, p99Ms, maxMs } = await nextMessage(child, 'loop-delay');
      return { result, p50Ms, p99Ms, maxMs };
    },
    stop: async () => {
      child.send('stop');
      await new Promise((exited) => child.once('exit', exited));
    },
  };
}

function nextMessage<K extends ServerMessage['type']>(child: ChildProcess, type: K): Promise<Extract<ServerMessage, { type: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      resolve(message as Extract<ServerMessage, { type: K }>);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the bench server exited with code ${code}`)));
  });
}

/** req/s and latency of one GET route under 50 connections, after a warm-up. */
export async function loadRoute(url: string, route: string, headers: Record<string, string>, seconds: number): Promise<HttpResult> {
  await autocannon({ url: `${url}${route}`, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers });
  const result = await autocannon({ url: `${url}${route}`, connections: CONNECTIONS, duration: seconds, headers });
  return { route, requestsPerSec: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, non2xx: result.non2xx };
}

/** Refreshes per second through the API: 50 clients, each rotating its own session for `seconds`. */
export async function refreshesPerSecond(url: string, refreshTokens: string[], seconds: number): Promise<{ perSec: number; failures: number }> {
  let done = 0;
  let failures = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    refreshTokens.map(async (initial) => {
      let refreshToken = initial;
      while (Date.now() < deadline) {
        const response = await fetch(`${url}/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
        const body = (await response.json()) as { refreshToken?: string };
        if (response.status !== 200 || !body.refreshToken) {
          failures++;
          return;
        }
        refreshToken = body.refreshToken;
        done++;
      }
    }),
  );
  return { perSec: done / seconds, failures };
}

/** POSTs a JSON body and returns the parsed response, failing on a non-2xx status. */
export async function postJson<T>(url: string, path: string, body: object): Promise<T> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}`);
  return (await response.json()) as T;
}
