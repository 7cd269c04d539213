import type { LoggerService } from '@nestjs/common';
import { createTestDatabase, type TestDatabase } from '@nestkit/auth/testing';
import request from 'supertest';
import { createApp } from '../../src/app.setup';
import { TEST_JWT_SECRET } from '../api.fixtures';

const WINDOW = 12;

/** Records every line the app logs, at every level, with its context and stack. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => this.capture(parts);
  error = (...parts: unknown[]) => this.capture(parts);
  warn = (...parts: unknown[]) => this.capture(parts);
  debug = (...parts: unknown[]) => this.capture(parts);
  verbose = (...parts: unknown[]) => this.capture(parts);
  fatal = (...parts: unknown[]) => this.capture(parts);

  private capture(parts: unknown[]): void {
    this.lines.push(parts.map((part) => (part instanceof Error ? `${part.message} ${part.stack}` : String(part))).join(' '));
  }
}

/** Every substring of `WINDOW` characters of a secret that appears in the text. */
function leaks(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let start = 0; start + WINDOW <= secret.length; start++) {
    const piece = secret.slice(start, start + WINDOW);
    if (text.includes(piece)) found.push(piece);
  }
  return found;
}

describe('secrets never leak (e2e)', () => {
  const logger = new CapturingLogger();
  const written: string[] = [];
  const secrets: string[] = [TEST_JWT_SECRET];
  const bodies: string[] = [];
  let db: TestDatabase;

  it('runs the whole story with failures and finds no token, password or secret in any log line or error body', async () => {
    const originalWrite = process.stdout.write.bind(process.stdout);
    const originalErrorWrite = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => (written.push(String(chunk)), originalWrite(chunk, ...rest))) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => (written.push(String(chunk)), originalErrorWrite(chunk, ...rest))) as typeof process.stderr.write;
    try {
      Object.assign(process.env, { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, REFRESH_REUSE_WINDOW_SECONDS: '0', LOGIN_THROTTLE_LIMIT: '3', AUTH_THROTTLE_LIMIT: '1000' });
      db = await createTestDatabase('security_logs');
      const app = await createApp({ mongoUri: db.uri, logger });
      await app.init();
      const http = request(app.getHttpServer());
      const keep = (response: { text: string }) => (bodies.push(response.text), response);

      const password = 'Tr0ub4dor&3-horse-battery';
      secrets.push(password, 'wrong-password-guess-123');
      keep(await http.post('/auth/register').send({ email: 'logs@example.com', password }).expect(201));
      keep(await http.post('/auth/login').send({ email: 'logs@example.com', password: 'wrong-password-guess-123' }).expect(401));
      const login = (await http.post('/auth/login').send({ email: 'logs@example.com', password }).expect(200)).body;
      secrets.push(login.accessToken, login.refreshToken);
      const next = (await http.post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(200)).body;
      secrets.push(next.accessToken, next.refreshToken);

      keep(await http.post('/auth/refresh').send({ refreshToken: login.refreshToken }).expect(401));
      keep(await http.post('/auth/refresh').send({ refreshToken: next.refreshToken }).expect(401));
      keep(await http.get('/me').set('authorization', `Bearer ${login.accessToken.slice(0, -3)}abc`).expect(401));
      keep(await http.get('/me').set('authorization', `Basic ${Buffer.from(`logs@example.com:${password}`).toString('base64')}`).expect(401));
      keep(await http.post('/auth/token/verify').send({ token: `${next.accessToken}x` }).expect(200));
      keep(await http.post('/auth/login').set('content-type', 'application/json').send(`{"email":"logs@example.com","password":"${password}`).expect(400));
      keep(await http.post('/auth/register').send({ email: 'logs@example.com', password, extra: next.refreshToken }).expect(400));
      keep(await http.post('/auth/login').send({ email: 'logs@example.com', password: 'wrong-password-guess-123' }));
      keep(await http.post('/auth/login').send({ email: 'logs@example.com', password: 'wrong-password-guess-123' }).expect(429));
      await app.close();
    } finally {
      process.stdout.write = originalWrite;
      process.stderr.write = originalErrorWrite;
      await db?.drop();
    }

    const logText = [...logger.lines, ...written].join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logText).toContain('refresh token reuse detected');
    for (const secret of secrets) expect({ secret: secret.slice(0, 6), leaks: leaks(logText, secret) }).toEqual({ secret: secret.slice(0, 6), leaks: [] });
    for (const body of bodies) for (const secret of secrets) expect(leaks(body, secret)).toEqual([]);
  }, 30_000);
});
