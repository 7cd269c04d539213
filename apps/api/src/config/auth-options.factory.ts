import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthKeyOptions, AuthModuleOptions, AuthOptionsFactory } from '@nestkit/auth';
import type { Environment } from './environment';

/**
 * `AuthModule` options from the validated environment: an HS256 secret (without `JWT_SECRET`,
 * in development only, a random one for this process), or an asymmetric key read from
 * `JWT_PRIVATE_KEY_FILE`, with the previous public key kept verify-only during a rotation.
 */
@Injectable()
export class AuthOptionsFromEnvironment implements AuthOptionsFactory {
  private readonly logger = new Logger('AuthOptions');

  constructor(private readonly config: ConfigService<Environment, true>) {}

  createAuthOptions(): AuthModuleOptions {
    return {
      issuer: this.config.get('JWT_ISSUER', { infer: true }),
      audience: this.config.get('JWT_AUDIENCE', { infer: true }),
      ...this.keys(),
      accessTokenTtl: this.config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true }),
      refreshTokenTtl: this.config.get('REFRESH_TOKEN_TTL_SECONDS', { infer: true }),
      reuseWindowSeconds: this.config.get('REFRESH_REUSE_WINDOW_SECONDS', { infer: true }),
    };
  }

  private keys(): Pick<AuthModuleOptions, 'secret' | 'keys'> {
    const algorithm = this.config.get('JWT_ALG', { infer: true });
    if (algorithm === 'HS256') return { secret: this.config.get('JWT_SECRET', { infer: true }) ?? this.processSecret() };
    const active: AuthKeyOptions = {
      kid: this.config.get('JWT_KEY_ID', { infer: true }) ?? `${algorithm.toLowerCase()}-1`,
      algorithm,
      status: 'active',
      privateKeyFile: this.config.get('JWT_PRIVATE_KEY_FILE', { infer: true }),
    };
    const previousKeyFile = this.config.get('JWT_PREVIOUS_PUBLIC_KEY_FILE', { infer: true });
    if (!previousKeyFile) return { keys: [active] };
    const previous: AuthKeyOptions = {
      kid: this.config.get('JWT_PREVIOUS_KEY_ID', { infer: true }) ?? 'previous',
      algorithm: this.config.get('JWT_PREVIOUS_ALG', { infer: true }) ?? algorithm,
      status: 'verify-only',
      publicKeyFile: previousKeyFile,
    };
    return { keys: [active, previous] };
  }

  private processSecret(): string {
    this.logger.warn('JWT_SECRET is not set: using a random secret for this process; tokens will not survive a restart (set JWT_SECRET to keep them)');
    return randomBytes(32).toString('base64url');
  }
}
