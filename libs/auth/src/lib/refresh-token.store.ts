import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Model } from 'mongoose';
import { REFRESH_TOKEN_MODEL, RESOLVED_AUTH_OPTIONS } from './auth.constants';
import { AuthStoreUnavailableError } from './auth.errors';
import type { ResolvedAuthOptions } from './auth.options';
import type { RefreshToken, RevokeReason } from './schemas/refresh-token.schema';

type CreateIndexOptions = Parameters<Model<RefreshToken>['collection']['createIndex']>[1];

/** A stored refresh token as plain data. */
export type RefreshTokenRecord = RefreshToken;

/** Whose sessions to list. */
export type SessionOwner = { sub: string } | { email: string };

/**
 * Every MongoDB access for refresh tokens. Failures become {@link AuthStoreUnavailableError}.
 * When the server refuses TTL indexes (FerretDB), a sweeper deletes expired tokens instead.
 */
@Injectable()
export class RefreshTokenStore implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('AuthModule');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REFRESH_TOKEN_MODEL) private readonly model: Model<RefreshToken>,
    @Inject(RESOLVED_AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  /** Creates the schema's indexes; starts the sweeper when the TTL index is refused. */
  async onModuleInit(): Promise<void> {
    for (const [fields, indexOptions] of this.model.schema.indexes()) {
      try {
        await this.model.collection.createIndex(fields as Record<string, 1 | -1>, indexOptions as CreateIndexOptions);
      } catch (error) {
        if (indexOptions?.expireAfterSeconds === undefined) throw new AuthStoreUnavailableError('index creation', error);
        this.startSweeper(indexName(fields), error);
      }
    }
  }

  /** Stops the sweeper. */
  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Whether expired tokens are deleted by this process rather than by a TTL index. */
  get sweeping(): boolean {
    return this.sweeper !== undefined;
  }

  /** Stores a newly issued token. */
  insert(record: RefreshTokenRecord): Promise<void> {
    return this.run('insert', async () => {
      await this.model.create(record);
    });
  }

  /** The token with this hash, read from the primary. */
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.run('lookup', () => this.model.findOne({ tokenHash }).lean<RefreshTokenRecord>().exec());
  }

  /**
   * The compare-and-set of a rotation: marks the token rotated only if it is still
   * current (not rotated, not revoked, not expired). True when this call won.
   */
  rotate(tokenHash: string, successorHash: string, now: Date): Promise<boolean> {
    return this.run('rotation', async () => {
      const rotated = await this.model
        .findOneAndUpdate(
          { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
          { $set: { rotatedAt: now, replacedBy: successorHash, lastUsedAt: now } },
        )
        .lean()
        .exec();
      return rotated !== null;
    });
  }

  /** Revokes every token of a session (of `sub`, when given); the number revoked. */
  revokeSession(sessionId: string, reason: RevokeReason, now: Date, sub?: string): Promise<number> {
    const filter = sub === undefined ? { sessionId } : { sessionId, sub };
    return this.revokeWhere(filter, reason, now);
  }

  /** Revokes every token of a user; the number revoked. */
  revokeAllOf(sub: string, reason: RevokeReason, now: Date): Promise<number> {
    return this.revokeWhere({ sub }, reason, now);
  }

  /** Deletes a successor that lost its race before anyone received it. */
  deleteByHash(tokenHash: string): Promise<void> {
    return this.run('delete', async () => {
      await this.model.deleteOne({ tokenHash }).exec();
    });
  }

  /** Current tokens (not rotated, revoked or expired) of a user, newest first. */
  listCurrent(owner: SessionOwner, now: Date): Promise<RefreshTokenRecord[]> {
    return this.run('listing', () =>
      this.model
        .find({ ...owner, rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } })
        .sort({ createdAt: -1 })
        .lean<RefreshTokenRecord[]>()
        .exec(),
    );
  }

  /** Deletes tokens whose session has expired; the number deleted. Safe on every instance. */
  sweepExpired(now: Date): Promise<number> {
    return this.run('sweep', async () => (await this.model.deleteMany({ expiresAt: { $lte: now } }).exec()).deletedCount);
  }

  private revokeWhere(filter: { sessionId?: string; sub?: string }, reason: RevokeReason, now: Date): Promise<number> {
    return this.run('revocation', async () => {
      const result = await this.model.updateMany({ ...filter, revokedAt: null }, { $set: { revokedAt: now, revokeReason: reason } }).exec();
      return result.modifiedCount;
    });
  }

  private startSweeper(indexName: string, error: unknown): void {
    const everySeconds = this.options.sweepIntervalMs / 1000;
    this.logger.warn(
      `the server refused the TTL index ${indexName} on ${this.model.collection.collectionName} (${describeRefusal(error)}); ` +
        `expired refresh tokens will be deleted by a sweeper every ${everySeconds} s instead`,
    );
    this.sweeper = setInterval(() => void this.sweepQuietly(), this.options.sweepIntervalMs);
    this.sweeper.unref();
  }

  private async sweepQuietly(): Promise<void> {
    try {
      await this.sweepExpired(new Date(this.options.now()));
    } catch (error) {
      this.logger.warn(`the expired refresh-token sweep failed and will be retried: ${(error as Error).message}`);
    }
  }

  private async run<T>(operation: string, query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw new AuthStoreUnavailableError(operation, error);
    }
  }
}

// MongoDB's default index name: `expiresAt_1`, `sub_1_createdAt_-1`.
function indexName(fields: object): string {
  return Object.entries(fields)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

function describeRefusal(error: unknown): string {
  const { codeName, code } = error as { codeName?: string; code?: number };
  return codeName ?? (code !== undefined ? `code ${code}` : (error as Error).name);
}
