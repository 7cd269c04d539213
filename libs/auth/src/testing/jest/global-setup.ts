import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMongo } from '../mongo-server';
import type { StartedMongo } from '../mongo-server.types';
import { TEST_MONGODB_CRASH_FILE_ENV, TEST_MONGODB_URI_ENV } from '../test-database';

// Where the global setup leaves the server for the global teardown (Jest shares globals between the two).
const GLOBAL_MONGO_KEY = '__NESTKIT_TEST_MONGO__';

/**
 * Jest global setup: starts one MongoDB-compatible server for the whole run (see
 * `startMongo`), hands its URI to the test workers through the environment, and turns a
 * crash of the server into a failed run that shows its last stderr lines.
 */
export default async function globalSetup(): Promise<void> {
  const mongo = await startMongo();
  const crashFile = join(tmpdir(), `nestkit-test-mongo-${process.pid}.crash`);
  rmSync(crashFile, { force: true });
  mongo.onCrash((error) => {
    writeFileSync(crashFile, error.message);
    console.error(`[nestkit/testing] the test database server crashed: ${error.message}`);
    process.exitCode = 1;
  });
  process.env[TEST_MONGODB_URI_ENV] = mongo.uri;
  process.env[TEST_MONGODB_CRASH_FILE_ENV] = crashFile;
  (globalThis as Record<string, unknown>)[GLOBAL_MONGO_KEY] = mongo;
}

/** The server started by {@link globalSetup}, if any. */
export function startedByGlobalSetup(): StartedMongo | undefined {
  return (globalThis as Record<string, unknown>)[GLOBAL_MONGO_KEY] as StartedMongo | undefined;
}
