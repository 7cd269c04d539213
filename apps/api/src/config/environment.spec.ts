import 'reflect-metadata';
import { validateEnvironment } from './environment';

describe('validateEnvironment', () => {
  it('applies the defaults', () => {
    expect(validateEnvironment({})).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      JWT_ALG: 'HS256',
      JWT_ISSUER: 'nestkit-demo',
      ACCESS_TOKEN_TTL_SECONDS: 900,
      REFRESH_TOKEN_TTL_SECONDS: 864_000,
      REFRESH_REUSE_WINDOW_SECONDS: 10,
      LOGIN_THROTTLE_LIMIT: 10,
      DATABASE_TIMEOUT_MS: 2500,
    });
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'JWT_SECRET is required when NODE_ENV=production; generate one with: openssl rand -base64 32'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 bytes; generate one with: openssl rand -base64 32'],
    [{ JWT_ALG: 'EdDSA' }, 'JWT_PRIVATE_KEY_FILE is required with JWT_ALG=EdDSA'],
    [{ JWT_ALG: 'none' }, 'JWT_ALG must be one of the following values: HS256, RS256, ES256, EdDSA'],
    [{ DATABASE_TIMEOUT_MS: '10000' }, 'DATABASE_TIMEOUT_MS must not be greater than 3000'],
    [{ PORT: 'eighty' }, 'PORT must be an integer number'],
  ])('refuses %j', (environment, problem) => {
    expect(() => validateEnvironment(environment)).toThrow(problem);
  });

  it('runs in production with an asymmetric key and no JWT_SECRET', () => {
    expect(validateEnvironment({ NODE_ENV: 'production', JWT_ALG: 'ES256', JWT_PRIVATE_KEY_FILE: '/run/secrets/jwt.pem' }).JWT_ALG).toBe('ES256');
  });
});
