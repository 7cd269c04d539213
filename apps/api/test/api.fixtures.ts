import type { NestExpressApplication } from '@nestjs/platform-express';
import { createTestDatabase, type TestDatabase } from '@nestkit/auth/testing';
import request from 'supertest';

/** A supertest agent bound to the app. */
export type Http = ReturnType<typeof request>;
import { createApp } from '../src/app.setup';

/** The real demo API on a test database of its own. */
export interface TestApi {
  app: NestExpressApplication;
  http: Http;
  db: TestDatabase;
  close(): Promise<void>;
}

/** The HS256 secret of the test app. */
export const TEST_JWT_SECRET = 'e2e-secret-0123456789abcdefghijklmnopqrstuvwxyz';

const TEST_ENVIRONMENT = {
  NODE_ENV: 'test',
  JWT_SECRET: TEST_JWT_SECRET,
  LOGIN_THROTTLE_LIMIT: '1000',
  AUTH_THROTTLE_LIMIT: '1000',
};

/** Starts the app with the test environment plus `environment`. */
export async function startTestApi(label: string, environment: Record<string, string> = {}): Promise<TestApi> {
  Object.assign(process.env, TEST_ENVIRONMENT, environment);
  const db = await createTestDatabase(label);
  const app = await createApp({ mongoUri: db.uri, logger: false });
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    db,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

/** A password that passes validation. */
export const PASSWORD = 'correct horse battery';

/** Registers and logs in a user; the login response body. */
export async function registerAndLogin(http: Http, email: string): Promise<{ accessToken: string; refreshToken: string }> {
  await http.post('/auth/register').send({ email, password: PASSWORD }).expect(201);
  return (await http.post('/auth/login').send({ email, password: PASSWORD }).expect(200)).body;
}
