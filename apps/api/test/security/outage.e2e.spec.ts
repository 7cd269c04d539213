import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type StartedMongo, startMongo } from '@nestkit/auth/testing';
import request from 'supertest';
import { createApp } from '../../src/app.setup';
import { PASSWORD, TEST_JWT_SECRET } from '../api.fixtures';

const hasGo = spawnSync('go', ['version']).status === 0;
const DATABASE_TIMEOUT_MS = 2000;

// Uses a FerretDB of its own (never MONGODB_URI), because it stops and restarts it.
(hasGo ? describe : describe.skip)('MongoDB outage and recovery (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));
  const ownServer = (port?: number) => startMongo({ env: { ...process.env, MONGODB_URI: '' }, dataDir, port, log: () => undefined });
  let mongo: StartedMongo;
  let app: NestExpressApplication;

  beforeAll(async () => {
    Object.assign(process.env, { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, DATABASE_TIMEOUT_MS: String(DATABASE_TIMEOUT_MS) });
    mongo = await ownServer();
    app = await createApp({ mongoUri: `${mongo.uri}outage`, logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await mongo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 within the timeout while MongoDB is down, keeps running, and recovers without a restart', async () => {
    const http = request(app.getHttpServer());
    await http.post('/auth/register').send({ email: 'outage@example.com', password: PASSWORD }).expect(201);
    const { refreshToken } = (await http.post('/auth/login').send({ email: 'outage@example.com', password: PASSWORD }).expect(200)).body;
    const port = Number(new URL(mongo.uri).port);

    await mongo.stop();

    const started = Date.now();
    const failedRefresh = await http.post('/auth/refresh').send({ refreshToken });
    const outageAnswerMs = Date.now() - started;
    expect(failedRefresh.status).toBe(503);
    expect(failedRefresh.body).toEqual({ statusCode: 503, error: 'Service Unavailable', reason: 'database_unavailable' });
    expect(outageAnswerMs).toBeLessThanOrEqual(3000);
    expect((await http.post('/auth/login').send({ email: 'outage@example.com', password: PASSWORD }).expect(503)).body.reason).toBe('database_unavailable');
    expect((await http.get('/health').expect(503)).body).toMatchObject({ status: 'error', error: { mongodb: { status: 'down' } } });

    mongo = await ownServer(port);
    const restarted = Date.now();
    while ((await http.get('/health')).status !== 200) {
      if (Date.now() - restarted > 15_000) throw new Error('the app did not see MongoDB again within 15 s');
      await new Promise((wake) => setTimeout(wake, 100));
    }
    const recoveryMs = Date.now() - restarted;

    await http.post('/auth/login').send({ email: 'outage@example.com', password: PASSWORD }).expect(200);
    await http.post('/auth/refresh').send({ refreshToken }).expect(200);
    process.stdout.write(`outage: 503 after ${outageAnswerMs} ms; /health 200 again ${recoveryMs} ms after MongoDB restarted\n`);
  }, 40_000);
});
