import { Test, type TestingModule } from '@nestjs/testing';
import { MongooseModule } from '@nestjs/mongoose';
import type { TestDatabase } from '../testing/test-database';
import { AuthModule } from './auth.module';
import type { AuthModuleExtras } from './auth.module-definition';
import type { AuthModuleOptions } from './auth.options';

/** A 32-byte HS256 secret for tests. */
export const TEST_SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** A clock the tests move by hand. */
export class TestClock {
  constructor(public current = Date.UTC(2026, 11, 4, 12, 0, 0)) {}

  readonly now = (): number => this.current;

  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

/** Options with test defaults. */
export function testAuthOptions(overrides: Partial<AuthModuleOptions> = {}): AuthModuleOptions {
  return { issuer: 'https://auth.test', audience: 'test-api', secret: TEST_SECRET, ...overrides };
}

/** A compiled and initialised module with MongoDB and AuthModule on a test database. */
export async function createAuthTestingModule(
  db: TestDatabase,
  options: AuthModuleOptions,
  extras: AuthModuleExtras = {},
): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [MongooseModule.forRoot(db.uri), AuthModule.forRoot({ ...options, ...extras })],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}
