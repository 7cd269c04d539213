import { Controller, Get, type INestApplication, Module, UseGuards } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { TestClock, testAuthOptions } from './auth.fixtures';
import { AuthModule } from './auth.module';
import { AuthService } from './auth.service';
import { CurrentUser } from './decorators/current-user.decorator';
import { Public } from './decorators/public.decorator';
import { AuthenticationException, JwtGuard } from './jwt.guard';
import type { AccessTokenClaims } from './tokens/access-token';

@Controller()
class ProfileController {
  @Get('me')
  me(@CurrentUser() user: AccessTokenClaims, @CurrentUser('sub') sub: string): object {
    return { sub, email: user.email, role: user['role'] };
  }

  @Public()
  @Get('open')
  open(): object {
    return { open: true };
  }
}

@Public()
@Controller('public-controller')
class PublicController {
  @Get()
  everyone(): object {
    return { everyone: true };
  }
}

@Controller('per-route')
class PerRouteController {
  @UseGuards(JwtGuard)
  @Get('guarded')
  guarded(@CurrentUser('email') email: string): object {
    return { email };
  }

  @Get('free')
  free(): object {
    return { free: true };
  }
}

describe('JwtGuard', () => {
  let db: TestDatabase;
  const clock = new TestClock();

  beforeAll(async () => {
    db = await createTestDatabase('jwt_guard');
  });

  afterAll(async () => {
    await db.drop();
  });

  async function startApp(controllers: Array<new () => unknown>, globalGuard: boolean): Promise<{ app: INestApplication; url: string; auth: AuthService }> {
    @Module({
      imports: [MongooseModule.forRoot(db.uri), AuthModule.forRoot(testAuthOptions({ clock: clock.now }))],
      controllers,
      providers: globalGuard ? [{ provide: APP_GUARD, useClass: JwtGuard }] : [],
    })
    class TestAppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl(), auth: app.get(AuthService) };
  }

  describe('as the global guard', () => {
    let app: INestApplication;
    let url: string;
    let accessToken: string;

    beforeAll(async () => {
      let auth: AuthService;
      ({ app, url, auth } = await startApp([ProfileController, PublicController], true));
      ({ accessToken } = await auth.issueTokens({ sub: 'user-1', email: 'user@example.com', role: 'admin' }));
    });

    afterAll(() => app.close());

    const get = (path: string, authorization?: string) => fetch(`${url}${path}`, { headers: authorization === undefined ? {} : { authorization } });

    async function expectChallenge(response: Response, reason: string, header: string): Promise<void> {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(header);
      expect(await response.json()).toEqual({ statusCode: 401, error: 'Unauthorized', reason });
    }

    it('lets a valid bearer token through and gives the handler its typed claims', async () => {
      const response = await get('/me', `Bearer ${accessToken}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ sub: 'user-1', email: 'user@example.com', role: 'admin' });
    });

    it('accepts the scheme in any case', async () => {
      expect((await get('/me', `bearer ${accessToken}`)).status).toBe(200);
      expect((await get('/me', `BEARER ${accessToken}`)).status).toBe(200);
    });

    it('answers 401 token_missing without an error code when there is no token (RFC 6750 §3.1)', async () => {
      await expectChallenge(await get('/me'), 'token_missing', 'Bearer');
    });

    it.each([
      ['another scheme', () => `Basic ${Buffer.from('u:p').toString('base64')}`],
      ['two spaces after the scheme', () => `Bearer  ${accessToken}`],
      ['two tokens', () => `Bearer ${accessToken} ${accessToken}`],
      ['the scheme alone', () => 'Bearer'],
      ['a header over 8 KB', () => `Bearer ${accessToken}${'a'.repeat(8 * 1024)}`],
      ['a tampered token', () => `Bearer ${accessToken.slice(0, -2)}xx`],
      ['a refresh token', () => 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    ])('answers 401 token_invalid for %s', async (_case, header) => {
      await expectChallenge(await get('/me', header()), 'token_invalid', 'Bearer error="invalid_token"');
    });

    it('answers 401 token_expired for an expired token', async () => {
      clock.advance(900);
      try {
        await expectChallenge(await get('/me', `Bearer ${accessToken}`), 'token_expired', 'Bearer error="invalid_token"');
      } finally {
        clock.advance(-900);
      }
    });

    it('lets @Public() routes and controllers through without a token', async () => {
      expect(await (await get('/open')).json()).toEqual({ open: true });
      expect(await (await get('/public-controller')).json()).toEqual({ everyone: true });
    });
  });

  describe('per route with @UseGuards(JwtGuard)', () => {
    it('guards only the decorated route', async () => {
      const { app, url, auth } = await startApp([PerRouteController], false);
      try {
        const { accessToken } = await auth.issueTokens({ sub: 'user-2', email: 'two@example.com' });

        expect((await fetch(`${url}/per-route/free`)).status).toBe(200);
        expect((await fetch(`${url}/per-route/guarded`)).status).toBe(401);
        const response = await fetch(`${url}/per-route/guarded`, { headers: { authorization: `Bearer ${accessToken}` } });
        expect(await response.json()).toEqual({ email: 'two@example.com' });
      } finally {
        await app.close();
      }
    });
  });

  describe('extension points', () => {
    class SocketJwtGuard extends JwtGuard {
      protected override getRequest(context: ExecutionContextHost): Record<string, unknown> & { headers?: Record<string, unknown> } {
        return context.switchToWs().getClient().handshake;
      }
    }

    it('getRequest adapts the guard to a WebSocket context, which gets no HTTP header', async () => {
      const { app, auth } = await startApp([], false);
      try {
        const guard = new SocketJwtGuard(auth, app.get(Reflector));
        const { accessToken } = await auth.issueTokens({ sub: 'user-3', email: 'three@example.com' });
        const socketContext = (handshake: object) => {
          const context = new ExecutionContextHost([{ handshake }, {}], SocketJwtGuard, SocketJwtGuard.prototype.canActivate);
          context.setType('ws');
          return context;
        };

        const handshake: Record<string, unknown> = { headers: { authorization: `Bearer ${accessToken}` } };
        expect(guard.canActivate(socketContext(handshake))).toBe(true);
        expect(handshake['user']).toMatchObject({ sub: 'user-3', email: 'three@example.com' });
        expect(() => guard.canActivate(socketContext({ headers: {} }))).toThrow(new AuthenticationException('token_missing'));
      } finally {
        await app.close();
      }
    });
  });
});
