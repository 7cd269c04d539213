import { Controller, Get, Injectable, Module, Req, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { Public } from '@nestkit/auth';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { BENCH_SECRET } from './bench.constants';

/** The usual hand-rolled setup: passport-jwt with a string secret, as in the NestJS docs. */
@Injectable()
export class PassportJwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: false, secretOrKey: BENCH_SECRET });
  }

  validate(payload: { sub: string; email: string }): { sub: string; email: string } {
    return { sub: payload.sub, email: payload.email };
  }
}

/**
 * Routes that do the work of `GET /me` without a guard and behind passport, for the HTTP
 * comparison. Bench-only: the demo API does not ship it.
 */
@Controller('bench')
export class ComparisonController {
  @Public()
  @Get('unguarded')
  unguarded(): { sub: string; email: string } {
    return { sub: '6750a7b2c1f4e8a9d0b1c2d3', email: 'bench@example.com' };
  }

  @Public()
  @UseGuards(AuthGuard('jwt'))
  @Get('passport')
  passport(@Req() request: { user: { sub: string; email: string } }): { sub: string; email: string } {
    return { sub: request.user.sub, email: request.user.email };
  }
}

/** The passport comparison routes. */
@Module({ imports: [PassportModule], controllers: [ComparisonController], providers: [PassportJwtStrategy] })
export class PassportComparisonModule {}
