import { plainToInstance, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';

/**
 * The demo API's environment, validated at start-up.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** A MongoDB connection string; without it `npm start` runs an embedded FerretDB. */
  @IsOptional()
  @IsString()
  MONGODB_URI?: string;

  /** HS256 secret, at least 32 bytes; generated per process in development when missing. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 bytes; generate one with: openssl rand -base64 32' })
  JWT_SECRET?: string;

  /** Signing algorithm; anything but HS256 reads its key from JWT_PRIVATE_KEY_FILE. */
  @IsIn(['HS256', 'RS256', 'ES256', 'EdDSA'])
  JWT_ALG: 'HS256' | 'RS256' | 'ES256' | 'EdDSA' = 'HS256';

  /** PEM private key of the active RS256 / ES256 / EdDSA key. */
  @IsOptional()
  @IsString()
  JWT_PRIVATE_KEY_FILE?: string;

  /** `kid` of the active key; defaults to the algorithm in lower case plus "-1". */
  @IsOptional()
  @IsString()
  JWT_KEY_ID?: string;

  /** PEM public key of the previous key, kept verify-only during a rotation. */
  @IsOptional()
  @IsString()
  JWT_PREVIOUS_PUBLIC_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  JWT_PREVIOUS_KEY_ID?: string;

  @IsOptional()
  @IsIn(['RS256', 'ES256', 'EdDSA'])
  JWT_PREVIOUS_ALG?: 'RS256' | 'ES256' | 'EdDSA';

  @IsString()
  JWT_ISSUER = 'nestkit-demo';

  @IsString()
  JWT_AUDIENCE = 'nestkit-demo-api';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  REFRESH_TOKEN_TTL_SECONDS = 864_000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  REFRESH_REUSE_WINDOW_SECONDS = 10;

  /** Logins per minute for one IP and email. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOGIN_THROTTLE_LIMIT = 10;

  /** Registrations and refreshes per minute for one IP. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  AUTH_THROTTLE_LIMIT = 30;

  /** How long a request waits for MongoDB before answering 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3000)
  DATABASE_TIMEOUT_MS = 2500;
}

/**
 * `ConfigModule`'s `validate`: defaults, types, and a refusal to run in production without a real secret.
 *
 * @throws Error listing every invalid variable.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const environment = plainToInstance(Environment, raw, { exposeDefaultValues: true });
  const problems = validateSync(environment, { whitelist: false }).flatMap((error) => Object.values(error.constraints ?? {}));
  if (environment.NODE_ENV === 'production' && environment.JWT_ALG === 'HS256' && !environment.JWT_SECRET) {
    problems.push('JWT_SECRET is required when NODE_ENV=production; generate one with: openssl rand -base64 32');
  }
  if (environment.JWT_ALG !== 'HS256' && !environment.JWT_PRIVATE_KEY_FILE) {
    problems.push(`JWT_PRIVATE_KEY_FILE is required with JWT_ALG=${environment.JWT_ALG}`);
  }
  if (problems.length > 0) throw new Error(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  return environment;
}
