import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * One issued refresh token. A login starts a session (`sessionId`); every rotation adds a
 * document to it and marks its predecessor `rotatedAt` / `replacedBy`. Only the SHA-256 of
 * the token is stored. Writes use `w: majority` and reads the primary, so every app
 * instance sees a rotation as soon as it is acknowledged.
 *
 * @publicApi
 */
@Schema({ versionKey: false, autoIndex: false, read: 'primary', writeConcern: { w: 'majority' } })
export class RefreshToken {
  /** SHA-256 of the token, base64url. */
  @Prop({ type: String, required: true })
  tokenHash!: string;

  /** The session (one login and its rotations). */
  @Prop({ type: String, required: true })
  sessionId!: string;

  @Prop({ type: String, required: true })
  sub!: string;

  /** Lower-cased e-mail of the identity. */
  @Prop({ type: String, required: true })
  email!: string;

  /** The identity's extra claims, copied into every access token of the session. */
  @Prop({ type: Object, default: {} })
  claims!: Record<string, unknown>;

  /** When this token was issued. */
  @Prop({ type: Date, required: true })
  createdAt!: Date;

  /** When the session started (the login); kept across rotations. */
  @Prop({ type: Date, required: true })
  authenticatedAt!: Date;

  /** End of the session's absolute lifetime; rotation never moves it. */
  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  @Prop({ type: Date, default: null })
  rotatedAt!: Date | null;

  /** Hash of the token that replaced this one. */
  @Prop({ type: String, default: null })
  replacedBy!: string | null;

  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;

  @Prop({ type: String, default: null })
  revokeReason!: RevokeReason | null;

  /** Last login or refresh of the session through this token (idle timeout). */
  @Prop({ type: Date, required: true })
  lastUsedAt!: Date;

  @Prop({ type: String, default: null })
  userAgent!: string | null;

  @Prop({ type: String, default: null })
  ip!: string | null;
}

/**
 * Why a session was revoked.
 *
 * @publicApi
 */
export type RevokeReason = 'logout' | 'logout_all' | 'session_revoked' | 'reuse_detected';

/**
 * The mongoose schema of {@link RefreshToken}, with its indexes: unique `tokenHash`,
 * `sessionId`, `{ sub, createdAt }` and `{ email, createdAt }` for listing, and a TTL
 * index on `expiresAt`.
 *
 * @publicApi
 */
export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
RefreshTokenSchema.index({ tokenHash: 1 }, { unique: true });
RefreshTokenSchema.index({ sessionId: 1 });
RefreshTokenSchema.index({ sub: 1, createdAt: -1 });
RefreshTokenSchema.index({ email: 1, createdAt: -1 });
RefreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
