import { createHmac, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { JwtService } from '@nestjs/jwt';
import { MongooseModule } from '@nestjs/mongoose';
import { type AuthKeyOptions, AuthModule, AuthService, JwtGuard } from '@nestkit/auth';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { BENCH_SECRET } from './bench.constants';
import { opsPerSecond } from './measure';

/** One row of the micro table. */
export interface MicroResult {
  case: string;
  signOpsPerSec?: number;
  verifyOpsPerSec: number;
}

const identity = { sub: '6750a7b2c1f4e8a9d0b1c2d3', email: 'bench@example.com' };

async function authContext(mongoUri: string, keys: AuthKeyOptions[], collectionName: string): Promise<INestApplicationContext> {
  @Module({
    imports: [
      MongooseModule.forRoot(mongoUri),
      AuthModule.forRoot({ issuer: 'nestkit-bench', audience: 'nestkit-bench-api', keys, collectionName }),
    ],
  })
  class MicroModule {}
  return NestFactory.createApplicationContext(MicroModule, { logger: ['error'] });
}

function rawHs256(secret: Buffer): { sign(payload: object): string; verify(token: string): boolean } {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: 'raw' })).toString('base64url');
  const mac = (input: string) => createHmac('sha256', secret).update(input).digest();
  return {
    sign: (payload) => {
      const input = `${header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${input}.${mac(input).toString('base64url')}`;
    },
    verify: (token) => {
      const dot = token.lastIndexOf('.');
      const expected = mac(token.slice(0, dot));
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      const payload = JSON.parse(Buffer.from(token.slice(token.indexOf('.') + 1, dot), 'base64url').toString());
      return payload.exp > Date.now() / 1000;
    },
  };
}

function passportVerifier(): (token: string) => Promise<unknown> {
  const strategy = new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: BENCH_SECRET }, (payload: unknown, done: (error: unknown, user: unknown) => void) => done(null, payload));
  return (token) =>
    new Promise((resolve, reject) => {
      const attempt = Object.create(strategy) as Strategy & { success: (user: unknown) => void; fail: (info: unknown) => void; error: (error: unknown) => void };
      attempt.success = resolve;
      attempt.fail = reject;
      attempt.error = reject;
      attempt.authenticate({ headers: { authorization: `Bearer ${token}` } } as never);
    });
}

/**
 * Sign and verify ops/s: the raw HMAC limit, this module (isJwtTokenValid and the guard),
 * `@nestjs/jwt` with a string secret, passport-jwt, and the asymmetric algorithms.
 */
export async function runMicro(mongoUri: string): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  const now = Math.floor(Date.now() / 1000);
  const claims = { ...identity, sid: 'bench-session', jti: 'bench-jti', iat: now, exp: now + 900, iss: 'nestkit-bench', aud: 'nestkit-bench-api' };

  const raw = rawHs256(Buffer.from(BENCH_SECRET));
  const rawToken = raw.sign(claims);
  results.push({ case: 'raw node:crypto HMAC-SHA256 (HS256 limit)', signOpsPerSec: await opsPerSecond(() => raw.sign(claims)), verifyOpsPerSec: await opsPerSecond(() => raw.verify(rawToken)) });

  const hs = await authContext(mongoUri, [{ kid: 'hs', algorithm: 'HS256', secret: BENCH_SECRET }], 'bench_micro_hs');
  const auth = hs.get(AuthService);
  const guard = hs.get(JwtGuard);
  const { accessToken } = await auth.issueTokens(identity);
  const request = { headers: { authorization: `Bearer ${accessToken}` } };
  const httpContext = new ExecutionContextHost([request, {}], Object, () => undefined);
  results.push({ case: '@nestkit/auth isJwtTokenValid (HS256)', verifyOpsPerSec: await opsPerSecond(() => auth.isJwtTokenValid(accessToken)) });
  results.push({ case: '@nestkit/auth JwtGuard.canActivate (HS256)', verifyOpsPerSec: await opsPerSecond(() => guard.canActivate(httpContext)) });

  const usual = new JwtService({ secret: BENCH_SECRET });
  const usualToken = usual.sign(identity);
  results.push({ case: '@nestjs/jwt JwtService, string secret', signOpsPerSec: await opsPerSecond(() => usual.sign(identity)), verifyOpsPerSec: await opsPerSecond(() => usual.verify(usualToken)) });

  const passport = passportVerifier();
  results.push({ case: 'passport-jwt JwtStrategy, string secret', verifyOpsPerSec: await opsPerSecond(() => passport(accessToken)) });
  await hs.close();

  for (const [algorithm, keyPair] of [
    ['RS256', generateKeyPairSync('rsa', { modulusLength: 2048 })],
    ['ES256', generateKeyPairSync('ec', { namedCurve: 'prime256v1' })],
    ['EdDSA', generateKeyPairSync('ed25519')],
  ] as const) {
    const context = await authContext(mongoUri, [{ kid: algorithm, algorithm, privateKey: keyPair.privateKey }], `bench_micro_${algorithm}`);
    const service = context.get(AuthService);
    const token = (await service.issueTokens(identity)).accessToken;
    results.push({ case: `@nestkit/auth isJwtTokenValid (${algorithm})`, verifyOpsPerSec: await opsPerSecond(() => service.isJwtTokenValid(token)) });
    await context.close();
  }
  return results;
}
