import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MongoPingIndicator } from './mongo-ping.indicator';

/** The health check. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [MongoPingIndicator],
})
export class HealthModule {}
