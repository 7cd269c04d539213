// `npm run bench`: every benchmark of the module in one run, as ratios against baselines
// measured in the same run. Prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startMongo, withDatabase } from '@nestkit/auth/testing';
import { listSessionsAtScale, rawRotationsPerSecond } from './database.bench';
import { loadRoute, postJson, refreshesPerSecond, startBenchServer } from './http.bench';
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
      http = {
        jwtGuard: await loadRoute(server.url, '/me', bearer, HTTP_SECONDS),
        unguarded: await loadRoute(server.url, '/bench/unguarded', {}, HTTP_SECONDS),
        passport: await loadRoute(server.url, '/bench/passport', bearer, HTTP_SECONDS),
      };

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

    const verify = (name: string) => micro.find((row) => row.case === name)!.verifyOpsPerSec;
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
      moduleVerifyVsRawHmac: { target: '>= 0.6', met: ratios.moduleVerifyVsRawHmac >= 0.6 },
      moduleVerifyVsNestJwtStringSecret: { target: '>= 40', met: ratios.moduleVerifyVsNestJwtStringSecret >= 40 },
      jwtGuardRouteVsUnguarded: { target: '>= 0.9', met: ratios.jwtGuardRouteVsUnguarded >= 0.9 },
      jwtGuardRouteVsPassport: { target: '>= 2', met: ratios.jwtGuardRouteVsPassport >= 2 },
      refreshVsRawDatabase: { target: '>= 0.5', met: ratios.refreshVsRawDatabase >= 0.5 },
      loginLoopDelayP99Ms: { target: '< 20', met: login.loopDelayP99Ms < 20 },
      listSessionsUsesIndex: { target: 'index scan', met: scale.usesIndex },
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

function print(report: {
  micro: Array<{ case: string; signOpsPerSec?: number; verifyOpsPerSec: number }>;
  http: Record<string, { route: string; requestsPerSec: number; p50Ms: number; p99Ms: number; non2xx: number }>;
  refresh: { apiPerSec: number; rawPerSec: number; apiFailures: number };
  login: { loopDelayP99Ms: number };
  scale: { sessions: number; p50Ms: number; usesIndex: boolean };
  ratios: Record<string, number>;
  targets: Record<string, { target: string; met: boolean }>;
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
  console.table(Object.entries(report.targets).map(([name, { target, met }]) => ({ name, value: report.ratios[name]?.toFixed(2) ?? '', target, met })));
}

main().catch((error: Error) => {
  console.error(`[bench] failed: ${error.stack}`);
  process.exit(1);
});
