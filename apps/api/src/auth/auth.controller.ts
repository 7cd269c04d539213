import { Body, Controller, Delete, Get, HttpCode, HttpStatus, NotFoundException, Param, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import {
  type AccessTokenClaims,
  type AccessTokenVerification,
  AuthService,
  CurrentUser,
  type IssuedTokens,
  Public,
  type RefreshFailureReason,
  type SessionContext,
} from '@nestkit/auth';
import type { Request } from 'express';
import { UsersService } from '../users/users.service';
import { AUTH_THROTTLER, AuthThrottlerGuard, LOGIN_THROTTLER } from './auth-throttling';
import { RegisteredUserDto, SessionDto, TokenPairDto } from './dto/auth-responses.dto';
import { CredentialsDto } from './dto/credentials.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { VerifyTokenDto } from './dto/verify-token.dto';

/**
 * Registration, login, refresh, logout and sessions, over `@nestkit/auth`.
 */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @UseGuards(AuthThrottlerGuard)
  @SkipThrottle({ [LOGIN_THROTTLER]: true })
  @Post('register')
  register(@Body() body: CredentialsDto): Promise<RegisteredUserDto> {
    return this.users.register(body.email, body.password);
  }

  @Public()
  @UseGuards(AuthThrottlerGuard)
  @SkipThrottle({ [AUTH_THROTTLER]: true })
  @Post('login')
  @HttpCode(HttpStatus.OK)
  async login(@Body() body: CredentialsDto, @Req() request: Request): Promise<TokenPairDto> {
    const user = await this.users.verifyCredentials(body.email, body.password);
    if (!user) throw unauthorized('invalid_credentials');
    return toTokenPair(await this.auth.issueTokens({ sub: user.id, email: user.email }, sessionContext(request)));
  }

  @Public()
  @UseGuards(AuthThrottlerGuard)
  @SkipThrottle({ [LOGIN_THROTTLER]: true })
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  async refresh(@Body() body: RefreshTokenDto, @Req() request: Request): Promise<TokenPairDto> {
    const result = await this.auth.refresh(body.refreshToken, sessionContext(request));
    if (result.status === 'failed') throw unauthorized(result.reason);
    return toTokenPair(result.tokens);
  }

  @Public()
  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@Body() body: RefreshTokenDto): Promise<void> {
    await this.auth.revoke(body.refreshToken);
  }

  @ApiBearerAuth()
  @Post('logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  async logoutAll(@CurrentUser('sub') sub: string): Promise<void> {
    await this.auth.revokeAll(sub);
  }

  @ApiBearerAuth()
  @Get('sessions')
  async sessions(@CurrentUser() user: AccessTokenClaims): Promise<SessionDto[]> {
    const sessions = await this.auth.listSessions(user.sub);
    return sessions.map((session) => ({
      id: session.sessionId,
      createdAt: session.createdAt,
      lastUsedAt: session.lastUsedAt,
      expiresAt: session.expiresAt,
      userAgent: session.userAgent,
      ip: session.ip,
      current: session.sessionId === user.sid,
    }));
  }

  @ApiBearerAuth()
  @Delete('sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revokeSession(@CurrentUser('sub') sub: string, @Param('id') id: string): Promise<void> {
    if ((await this.auth.revokeSession(sub, id)) === 'not_found') {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', reason: 'session_not_found' });
    }
  }

  @Public()
  @Post('token/verify')
  @HttpCode(HttpStatus.OK)
  verify(@Body() body: VerifyTokenDto): AccessTokenVerification {
    return this.auth.isJwtTokenValid(body.token);
  }
}

function unauthorized(reason: RefreshFailureReason | 'invalid_credentials'): UnauthorizedException {
  return new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', reason });
}

function sessionContext(request: Request): SessionContext {
  return { userAgent: request.headers['user-agent'], ip: request.ip };
}

function toTokenPair(tokens: IssuedTokens): TokenPairDto {
  const { accessToken, refreshToken, tokenType, expiresIn, refreshExpiresAt } = tokens;
  return { accessToken, refreshToken, tokenType, expiresIn, refreshExpiresAt };
}
