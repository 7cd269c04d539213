import { randomBytes, randomUUID } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { AuthModule, AuthService } from '@nestkit/auth';
import mongoose, { type Connection } from 'mongoose';
import { BENCH_SECRET } from './bench.constants';
import { quantile } from './measure';

/** Raw mongoose `findOneAndUpdate` + `create` pairs per second with 50 concurrent clients. */
export async function rawRotationsPerSecond(mongoUri: string, seconds: number, clients = 50): Promise<number> {
  const connection = await mongoose.createConnection(mongoUri).asPromise();
  try {
    const Raw = connection.model('RawRotation', new mongoose.Schema({ key: { type: String, index: true, unique: true }, rotatedAt: Date, replacedBy: String }), 'bench_raw_rotations');
    await Raw.init();
    let done = 0;
    const deadline = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        let key = randomUUID();
        await Raw.create({ key });
        while (Date.now() < deadline) {
          const next = randomUUID();
          await Raw.create({ key: next });
          await Raw.findOneAndUpdate({ key, rotatedAt: null }, { $set: { rotatedAt: new Date(), replacedBy: next } });
          key = next;
          done++;
        }
      }),
    );
    return done / seconds;
  } finally {
    await connection.close();
  }
}

/** listSessions latency for one user with `sessions` sessions, and the query plan of its query. */
export async function listSessionsAtScale(mongoUri: string, sessions: number): Promise<{ sessions: number; p50Ms: number; p99Ms: number; plan: unknown; usesIndex: boolean }> {
  @Module({ imports: [MongooseModule.forRoot(mongoUri), AuthModule.forRoot({ issuer: 'i', audience: 'a', secret: BENCH_SECRET, collectionName: 'bench_scale_sessions' })] })
  class ScaleModule {}
  const context = await NestFactory.createApplicationContext(ScaleModule, { logger: ['error'] });
  try {
    const collection = context.get<Connection>(getConnectionToken()).collection('bench_scale_sessions');
    const now = Date.now();
    const sub = 'heavy-user';
    for (let batch = 0; batch < sessions / 1000; batch++) {
      await collection.insertMany(
        Array.from({ length: 1000 }, (_, i) => ({
          tokenHash: randomBytes(32).toString('base64url'),
          sessionId: randomUUID(),
          sub,
          email: 'heavy@example.com',
          claims: {},
          createdAt: new Date(now - (batch * 1000 + i) * 1000),
          authenticatedAt: new Date(now - (batch * 1000 + i) * 1000),
          expiresAt: new Date(now + 86_400_000),
          rotatedAt: null,
          replacedBy: null,
          revokedAt: null,
          revokeReason: null,
          lastUsedAt: new Date(now),
          userAgent: 'bench',
          ip: '127.0.0.1',
        })),
      );
    }
    const auth = context.get(AuthService);
    const timings: number[] = [];
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      const listed = await auth.listSessions(sub);
      timings.push(performance.now() - started);
      if (listed.length !== sessions) throw new Error(`listSessions returned ${listed.length} of ${sessions} sessions`);
    }
    const plan = await collection
      .find({ sub, rotatedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } })
      .sort({ createdAt: -1 })
      .explain('queryPlanner');
    return { sessions, p50Ms: quantile(timings, 0.5), p99Ms: quantile(timings, 0.99), plan, usesIndex: planUsesIndex(plan) };
  } finally {
    await context.close();
  }
}

// MongoDB says IXSCAN; FerretDB's SQLite backend gives SQLite's plan, where an index shows as "USING INDEX".
function planUsesIndex(plan: unknown): boolean {
  const text = JSON.stringify(plan);
  return /IXSCAN|USING (COVERING )?INDEX/i.test(text);
}
