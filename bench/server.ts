// The benchmarked API in a process of its own: the demo app plus the comparison routes.
// Started by run.ts with MONGODB_URI; reports its port, and its event-loop delay on request.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AppModule } from '../apps/api/src/app.module';
import { configureApp } from '../apps/api/src/app.setup';
import { BENCH_ENVIRONMENT } from './bench.constants';
import { PassportComparisonModule } from './passport-comparison.module';

/** Messages between run.ts and this process. */
export type ServerMessage = { type: 'ready'; port: number } | { type: 'loop-delay'; p50Ms: number; p99Ms: number; maxMs: number };

async function main(): Promise<void> {
  Object.assign(process.env, BENCH_ENVIRONMENT);
  const mongoUri = process.env['MONGODB_URI'];
  if (!mongoUri) throw new Error('bench/server.ts is started by bench/run.ts with MONGODB_URI');
  @Module({ imports: [AppModule.forRoot({ mongoUri }), PassportComparisonModule] })
  class BenchServerModule {}

  const app = configureApp(await NestFactory.create<NestExpressApplication>(BenchServerModule, { bodyParser: false, logger: ['error', 'warn'] }));
  await app.listen(0, '127.0.0.1');
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  process.on('message', (message: string) => {
    if (message === 'loop-delay:start') {
      loopDelay.reset();
      loopDelay.enable();
    }
    if (message === 'loop-delay:stop') {
      loopDelay.disable();
      const ms = (nanoseconds: number) => nanoseconds / 1e6;
      send({ type: 'loop-delay', p50Ms: ms(loopDelay.percentile(50)), p99Ms: ms(loopDelay.percentile(99)), maxMs: ms(loopDelay.max) });
    }
    if (message === 'stop') void app.close().then(() => process.exit(0));
  });
  send({ type: 'ready', port: (app.getHttpServer().address() as { port: number }).port });
}

function send(message: ServerMessage): void {
  process.send?.(message);
}

void main();
