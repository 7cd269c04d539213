import { Module } from '@nestjs/common';

/**
 * Root module of the demo API.
 */
@Module({})
export class AppModule {}
