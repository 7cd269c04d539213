import { Injectable, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { TEST_SECRET } from './auth.fixtures';
import { AuthModule } from './auth.module';
import type { AuthOptionsFactory } from './auth.module-definition';
import type { AuthModuleOptions } from './auth.options';
import { AuthService } from './auth.service';
import { JwtGuard } from './jwt.guard';

const environment = () => ({ JWT_SECRET: TEST_SECRET, JWT_ISSUER: 'https://config.test', JWT_AUDIENCE: 'config-api' });

function fromConfig(config: ConfigService): AuthModuleOptions {
  return { secret: config.getOrThrow('JWT_SECRET'), issuer: config.getOrThrow('JWT_ISSUER'), audience: config.getOrThrow('JWT_AUDIENCE') };
}

@Injectable()
class AuthConfig implements AuthOptionsFactory {
  constructor(private readonly config: ConfigService) {}

  createAuthOptions(): AuthModuleOptions {
    return fromConfig(this.config);
  }
}

@Module({ imports: [ConfigModule], providers: [AuthConfig], exports: [AuthConfig] })
class AuthConfigModule {}

describe('AuthModule', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('auth_module');
  });

  afterAll(async () => {
    await db.drop();
  });

  const config = ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [environment] });

  async function issuerOfALogin(imports: unknown[]): Promise<unknown> {
    const moduleRef = await Test.createTestingModule({ imports: [config, MongooseModule.forRoot(db.uri), ...(imports as [])] }).compile();
    await moduleRef.init();
    try {
      const service = moduleRef.get(AuthService);
      const { accessToken } = await service.issueTokens({ sub: 'u1', email: 'u1@example.com' });
      const verification = service.isJwtTokenValid(accessToken);
      return verification.status === 'valid' ? verification.claims.iss : verification;
    } finally {
      await moduleRef.close();
    }
  }

  it('forRootAsync with useFactory reads ConfigService', async () => {
    const module = AuthModule.forRootAsync({ inject: [ConfigService], useFactory: fromConfig });
    expect(await issuerOfALogin([module])).toBe('https://config.test');
  });

  it('forRootAsync with useClass', async () => {
    expect(await issuerOfALogin([AuthModule.forRootAsync({ imports: [ConfigModule], useClass: AuthConfig })])).toBe('https://config.test');
  });

  it('forRootAsync with useExisting', async () => {
    expect(await issuerOfALogin([AuthModule.forRootAsync({ imports: [AuthConfigModule], useExisting: AuthConfig })])).toBe('https://config.test');
  });

  it('isGlobal makes AuthService and JwtGuard available everywhere', async () => {
    @Module({})
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [MongooseModule.forRoot(db.uri), AuthModule.forRoot({ issuer: 'i', audience: 'a', secret: TEST_SECRET, isGlobal: true }), FeatureModule],
    }).compile();

    expect(moduleRef.select(FeatureModule).get(AuthService, { strict: false })).toBeInstanceOf(AuthService);
    expect(moduleRef.get(JwtGuard)).toBeInstanceOf(JwtGuard);
    await moduleRef.close();
  });

  it('keeps refresh tokens in the collection named by collectionName', async () => {
    const module = AuthModule.forRoot({ issuer: 'i', audience: 'a', secret: TEST_SECRET, collectionName: 'custom_sessions' });
    await issuerOfALogin([module]);
    expect(await db.connection.collection('custom_sessions').countDocuments()).toBe(1);
  });

  it.each([
    ['forRoot', () => AuthModule.forRoot({ issuer: 'i', audience: 'a', secret: 'too-short' })],
    ['forRootAsync', () => AuthModule.forRootAsync({ useFactory: () => ({ issuer: 'i', audience: 'a', secret: 'too-short' }) })],
  ])('stops start-up with a message saying how to fix a bad option (%s)', async (_how, module) => {
    const opened: Connection[] = [];
    const mongo = MongooseModule.forRoot(db.uri, { onConnectionCreate: (connection: Connection) => opened.push(connection) });
    try {
      const compiling = Test.createTestingModule({ imports: [mongo, module()] }).compile();
      await expect(compiling).rejects.toThrow('AuthModule: `secret`: the HS256 secret must be at least 32 bytes (got 9). Generate one with: ');
    } finally {
      await Promise.all(opened.map((connection) => connection.close()));
    }
  });
});
