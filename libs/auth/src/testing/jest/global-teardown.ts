import { rmSync } from 'node:fs';
import { TEST_MONGODB_CRASH_FILE_ENV } from '../test-database';
import { startedByGlobalSetup } from './global-setup';

/**
 * Jest global teardown: stops the server of the global setup and waits for its process to exit.
 */
export default async function globalTeardown(): Promise<void> {
  await startedByGlobalSetup()?.stop();
  const crashFile = process.env[TEST_MONGODB_CRASH_FILE_ENV];
  if (crashFile) rmSync(crashFile, { force: true });
}
