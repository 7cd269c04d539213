// `npm run bench`: every benchmark of the module in one run, as ratios against baselines
// measured in the same run. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startMongo, withDatabase } from '@nestkit/auth/testing';
import { listSessionsAtScale, rawRotationsPerSecond } from './database.bench';
import { type HttpResult, loadRoute, postJson, refreshesPerSecond, startBenchServer } from './http.bench';
import { runMicro } from './micro.bench';

const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 10);
const CONCURRENT = 50;
const SCALE_SESSIONS = 10_000;
const PASSWORD = 'correct horse battery';

type TokenPair = { accessToken: string; refreshToken: string };

async function main(): Promise<void> {
  const startedAt = Date.now();
  const mongo = await startMongo({ log: (line) => console.log(`[bench] ${line}`) });
  const uri = withDatabase(mongo.uri, `nestkit_bench_${Date.now()}`);
  try {
    console.log('[bench] micro benchmarks');
    const micro = await runMicro(uri);

    console.log(`[bench] HTTP benchmarks (${HTTP_SECONDS} s per route, ${CONCURRENT} connections)`);
    const server = await startBenchServer(uri);
    let http, refresh, login;
    try {
      await postJson(server.url, '/auth/register', { email: 'bench@example.com', password: PASSWORD });
      const { accessToken } = await postJson<TokenPair>(server.url, '/auth/login', { email: 'bench@example.com', password: PASSWORD });
      const bearer = { authorization: `Bearer ${accessToken}` };
      http = await loadRoutesInterleaved(server.url, { jwtGuard: '/me', unguarded: '/bench/unguarded', passport: '/bench/passport' }, bearer);

      console.log('[bench] refresh through the API vs raw mongoose');
      const sessions = await Promise.all(Array.from({ length: CONCURRENT }, () => postJson<TokenPair>(server.url, '/auth/login', { email: 'bench@example.com', password: PASSWORD })));
      const api = await refreshesPerSecond(server.url, sessions.map((pair) => pair.refreshToken), HTTP_SECONDS);
      const raw = await rawRotationsPerSecond(uri, HTTP_SECONDS, CONCURRENT);
      refresh = { apiPerSec: api.perSec, apiFailures: api.failures, rawPerSec: raw };

      console.log(`[bench] event-loop delay during ${CONCURRENT} concurrent logins`);
      const delay = await server.loopDelay(() =>
        Promise.all(Array.from({ length: CONCURRENT }, () => postJson<TokenPair>(server.url, '/auth/login', { email: 'bench@example.com', password: PASSWORD }))),
      );
      login = { concurrentLogins: CONCURRENT, loopDelayP50Ms: delay.p50Ms, loopDelayP99Ms: delay.p99Ms, loopDelayMaxMs: delay.maxMs };
    } finally {
      await server.stop();
    }

    console.log(`[bench] listSessions with ${SCALE_SESSIONS} sessions`);
    const scale = await listSessionsAtScale(uri, SCALE_SESSIONS);

    const verify = (name: string) => micro.find((row) => row.case === name)?.verifyOpsPerSec ?? NaN;
    const rawVerify = verify('raw node:crypto HMAC-SHA256 (HS256 limit)');
    const moduleVerify = verify('@nestkit/auth isJwtTokenValid (HS256)');
    const ratios = {
      moduleVerifyVsRawHmac: moduleVerify / rawVerify,
      moduleVerifyVsNestJwtStringSecret: moduleVerify / verify('@nestjs/jwt JwtService, string secret'),
      jwtGuardRouteVsUnguarded: http.jwtGuard.requestsPerSec / http.unguarded.requestsPerSec,
      jwtGuardRouteVsPassport: http.jwtGuard.requestsPerSec / http.passport.requestsPerSec,
      refreshVsRawDatabase: refresh.apiPerSec / refresh.rawPerSec,
    };
    const targets = {
      moduleVerifyVsRawHmac: { value: ratios.moduleVerifyVsRawHmac, target: '>= 0.6', met: ratios.moduleVerifyVsRawHmac >= 0.6 },
      moduleVerifyVsNestJwtStringSecret: { value: ratios.moduleVerifyVsNestJwtStringSecret, target: '>= 40', met: ratios.moduleVerifyVsNestJwtStringSecret >= 40 },
      jwtGuardRouteVsUnguarded: { value: ratios.jwtGuardRouteVsUnguarded, target: '>= 0.9', met: ratios.jwtGuardRouteVsUnguarded >= 0.9 },
      jwtGuardRouteVsPassport: { value: ratios.jwtGuardRouteVsPassport, target: '>= 2', met: ratios.jwtGuardRouteVsPassport >= 2 },
      refreshVsRawDatabase: { value: ratios.refreshVsRawDatabase, target: '>= 0.5', met: ratios.refreshVsRawDatabase >= 0.5 },
      loginLoopDelayP99Ms: { value: login.loopDelayP99Ms, target: '< 20', met: login.loopDelayP99Ms < 20 },
      listSessionsUsesIndex: { value: scale.usesIndex, target: 'index scan', met: scale.usesIndex },
    };
    const report = {
      date: new Date().toISOString(),
      durationSeconds: (Date.now() - startedAt) / 1000,
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, database: mongo.description },
      micro,
      http,
      refresh,
      login,
      scale,
      ratios,
      targets,
    };
    print(report);
    const file = join(__dirname, 'results', 'latest.json');
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`[bench] wrote ${file} in ${report.durationSeconds.toFixed(0)} s`);
  } finally {
    const connection = await mongoose.createConnection(uri).asPromise();
    await connection.dropDatabase();
    await connection.close();
    await mongo.stop();
  }
}

// Each route runs twice, in the order A B C C B A, for half the time each, and the halves are
// averaged: warm-up and drift then weigh on every route alike.
async function loadRoutesInterleaved<K extends string>(url: string, routes: Record<K, string>, headers: Record<string, string>): Promise<Record<K, HttpResult>> {
  const names = Object.keys(routes) as K[];
  const halves = new Map<K, HttpResult[]>();
  for (const name of [...names, ...[...names].reverse()]) {
    halves.set(name, [...(halves.get(name) ?? []), await loadRoute(url, routes[name], headers, HTTP_SECONDS / 2)]);
  }
  const average = (results: HttpResult[], field: 'requestsPerSec' | 'p50Ms' | 'p99Ms') => results.reduce((sum, result) => sum + result[field], 0) / results.length;
  return Object.fromEntries(
    names.map((name) => {
      const results = halves.get(name) ?? [];
      return [name, { route: routes[name], requestsPerSec: average(results, 'requestsPerSec'), p50Ms: average(results, 'p50Ms'), p99Ms: average(results, 'p99Ms'), non2xx: results.reduce((sum, result) => sum + result.non2xx, 0) }];
    }),
  ) as Record<K, HttpResult>;
}

function print(report: {
  micro: Array<{ case: string; signOpsPerSec?: number; verifyOpsPerSec: number }>;
  http: Record<string, { route: string; requestsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number }>;
  refresh: { apiPerSec: number; rawPerSec: number; apiFailures: number };
  login: { loopDelayP99Ms: number };
  scale: { sessions: number; p50Ms: number; usesIndex: boolean };
  targets: Record<string, { value: number | boolean; target: string; met: boolean }>;
}): void {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  console.log('\nmicro (ops/s, one core)');
  console.table(report.micro.map((row) => ({ case: row.case, sign: row.signOpsPerSec === undefined ? '' : n(row.signOpsPerSec), verify: n(row.verifyOpsPerSec) })));
  console.log('\nHTTP (50 connections)');
  console.table(Object.values(report.http).map((row) => ({ route: row.route, 'req/s': n(row.requestsPerSec), 'p50 ms': row.p50Ms, 'p99 ms': row.p99Ms, non2xx: row.non2xx })));
  console.log(`\nrefresh: ${n(report.refresh.apiPerSec)}/s through the API (${report.refresh.apiFailures} failures), raw findOneAndUpdate+create ${n(report.refresh.rawPerSec)}/s`);
  console.log(`login: event-loop delay p99 ${report.login.loopDelayP99Ms.toFixed(1)} ms`);
  console.log(`listSessions (${report.scale.sessions} sessions): p50 ${report.scale.p50Ms.toFixed(1)} ms, index scan: ${report.scale.usesIndex}`);
  console.log('\nratios and targets');
  console.table(Object.entries(report.targets).map(([name, { value, target, met }]) => ({ name, value: typeof value === 'number' ? value.toFixed(2) : String(value), target, met })));
}

main().catch((error: Error) => {
  console.error(`[bench] failed: ${error.stack}`);
  process.exit(1);
});
