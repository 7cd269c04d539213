import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Connection } from 'mongoose';

/**
 * A real `ping` round trip to MongoDB. Terminus's `MongooseHealthIndicator` only reads the
 * connection state, which stays "connected" for seconds after the server is gone.
 */
@Injectable()
export class MongoPingIndicator {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Up when MongoDB answers a ping (within the connection's server-selection timeout), down otherwise. */
  async ping(key: string): Promise<HealthIndicatorResult> {
    const check = this.health.check(key);
    try {
      await this.connection.db?.admin().ping();
      return check.up();
    } catch {
      return check.down({ message: 'MongoDB did not answer a ping' });
    }
  }
}
