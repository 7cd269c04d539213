import { spawnSync } from 'node:child_process';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type StartedMongo, startMongo } from '@nestkit/auth/testing';
import request from 'supertest';
import { createApp } from '../src/app.setup';
import { PASSWORD } from './api.fixtures';

const hasGo = spawnSync('go', ['version']).status === 0;

(hasGo ? describe : describe.skip)('MongoDB outage (e2e)', () => {
  let mongo: StartedMongo;
  let app: NestExpressApplication;

  beforeAll(async () => {
    Object.assign(process.env, { NODE_ENV: 'test', JWT_SECRET: 'outage-secret-0123456789abcdefghijklmnopqrstuvwxyz', DATABASE_TIMEOUT_MS: '1000' });
    mongo = await startMongo({ env: { ...process.env, MONGODB_URI: '' }, log: () => undefined });
    app = await createApp({ mongoUri: `${mongo.uri}outage`, logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await mongo.stop();
  });

  it('answers 503 database_unavailable and /health 503 while MongoDB is down, and keeps running', async () => {
    const http = request(app.getHttpServer());
    await http.post('/auth/register').send({ email: 'outage@example.com', password: PASSWORD }).expect(201);
    await http.get('/health').expect(200);

    await mongo.stop();

    const login = await http.post('/auth/login').send({ email: 'outage@example.com', password: PASSWORD }).expect(503);
    expect(login.body).toEqual({ statusCode: 503, error: 'Service Unavailable', reason: 'database_unavailable' });
    const refresh = await http.post('/auth/refresh').send({ refreshToken: 'a'.repeat(43) }).expect(503);
    expect(refresh.body).toEqual({ statusCode: 503, error: 'Service Unavailable', reason: 'database_unavailable' });
    expect((await http.get('/health').expect(503)).body).toMatchObject({ status: 'error', error: { mongodb: { status: 'down' } } });
  }, 20_000);
});
