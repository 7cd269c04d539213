import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthModuleOptions, AuthOptionsFactory } from '@nestkit/auth';
import type { Environment } from './environment';

/**
 * `AuthModule` options from the validated environment. Without `JWT_SECRET` (development
 * only: the environment refuses it in production) a random secret is made for this process.
 */
@Injectable()
export class AuthOptionsFromEnvironment implements AuthOptionsFactory {
  private readonly logger = new Logger('AuthOptions');

  constructor(private readonly config: ConfigService<Environment, true>) {}

  createAuthOptions(): AuthModuleOptions {
    return {
      issuer: this.config.get('JWT_ISSUER', { infer: true }),
      audience: this.config.get('JWT_AUDIENCE', { infer: true }),
      secret: this.config.get('JWT_SECRET', { infer: true }) ?? this.processSecret(),
      accessTokenTtl: this.config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }),
      refreshTokenTtl: this.config.get('REFRESH_TOKEN_TTL_SECONDS', { infer: true }),
      reuseWindowSeconds: this.config.get('REFRESH_REUSE_WINDOW_SECONDS', { infer: true }),
    };
  }

  private processSecret(): string {
    this.logger.warn('JWT_SECRET is not set: using a random secret for this process; tokens will not survive a restart (set JWT_SECRET to keep them)');
    return randomBytes(32).toString('base64url');
  }
}
