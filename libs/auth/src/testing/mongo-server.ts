import mongoose from 'mongoose';
import { ensureFerretdbBinary, findFerretdbSource, GoToolchainMissingError } from './ferretdb.build';
import { startFerretdb } from './ferretdb.process';
import { describeMongoHosts, scrubMongoSecrets } from './mongo-uri';
import type { StartedMongo } from './mongo-server.types';

const EXTERNAL_PROBE_TIMEOUT_MS = 4_000;

/**
 * Options of {@link startMongo}.
 */
export interface StartMongoOptions {
  /** Where the embedded FerretDB keeps its data; a temporary folder, removed on stop, by default. */
  dataDir?: string;
  /** Port of the embedded FerretDB on 127.0.0.1; a free one by default. */
  port?: number;
  /** Where the one-line decisions go. Default: `console.log` with a `[nestkit/testing]` prefix. */
  log?: (message: string) => void;
  /** Environment to read `MONGODB_URI` and `PATH` from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The `tools/ferretdb` folder; found by walking up from the working directory by default. */
  ferretdbSource?: string;
}

/**
 * Gives a MongoDB wire-protocol server and says which one it picked, in this order:
 * 1. `MONGODB_URI` when set (a real MongoDB), after checking within 5 s that it answers;
 * 2. the embedded FerretDB program of `tools/ferretdb`, built with Go when needed;
 * 3. mongodb-memory-server, which downloads `mongod` (machines with internet access).
 *
 * @example
 * const mongo = await startMongo();
 * await mongoose.connect(mongo.uri);
 * // ...
 * await mongo.stop();
 *
 * @throws Error naming the host (never the password) when `MONGODB_URI` does not answer.
 * @throws Error saying how to set `MONGODB_URI` when no server could be started.
 */
export async function startMongo(options: StartMongoOptions = {}): Promise<StartedMongo> {
  const log = options.log ?? ((message: string) => console.log(`[nestkit/testing] ${message}`));
  const env = options.env ?? process.env;

  if (env['MONGODB_URI']) return useExternal(env['MONGODB_URI'], log);

  const reasons: string[] = [];
  try {
    return await useFerretdb(options, log, env);
  } catch (error) {
    const reason = (error as Error).message;
    reasons.push(`embedded FerretDB: ${reason}`);
    log(`${error instanceof GoToolchainMissingError ? reason : `the embedded FerretDB failed: ${reason}`}; trying mongodb-memory-server`);
  }
  try {
    return await useMemoryServer(log);
  } catch (error) {
    reasons.push(`mongodb-memory-server: ${(error as Error).message}`);
  }
  throw new Error(
    `No MongoDB server is available. Set MONGODB_URI to a MongoDB you can reach ` +
      `(for example MONGODB_URI=mongodb://127.0.0.1:27017), or install Go >= 1.24 for the embedded FerretDB.\n` +
      reasons.map((reason) => `  - ${reason}`).join('\n'),
  );
}

async function useExternal(uri: string, log: (message: string) => void): Promise<StartedMongo> {
  const hosts = describeMongoHosts(uri);
  await probe(uri, hosts);
  const description = `MongoDB from MONGODB_URI at ${hosts}`;
  log(`using ${description}`);
  return { uri, kind: 'external', description, onCrash: () => undefined, stop: async () => undefined };
}

async function probe(uri: string, hosts: string): Promise<void> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: EXTERNAL_PROBE_TIMEOUT_MS,
    connectTimeoutMS: EXTERNAL_PROBE_TIMEOUT_MS,
  });
  try {
    await connection.asPromise();
    await connection.db?.admin().ping();
  } catch (error) {
    const reason = scrubMongoSecrets((error as Error).message, uri);
    throw new Error(`MongoDB at ${hosts} (MONGODB_URI) did not answer within ${EXTERNAL_PROBE_TIMEOUT_MS / 1000} s: ${reason}`);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

async function useFerretdb(options: StartMongoOptions, log: (message: string) => void, env: NodeJS.ProcessEnv): Promise<StartedMongo> {
  const source = options.ferretdbSource ?? findFerretdbSource();
  if (!source) throw new Error('no tools/ferretdb folder above the working directory');
  const binary = await ensureFerretdbBinary(source, log, env);
  const started = Date.now();
  const server = await startFerretdb({ binary, dataDir: options.dataDir, port: options.port });
  log(`using ${server.description} (ready in ${Date.now() - started} ms${options.dataDir ? `, data in ${options.dataDir}` : ''})`);
  return server;
}

async function useMemoryServer(log: (message: string) => void): Promise<StartedMongo> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const server = await MongoMemoryServer.create({ instance: { ip: '127.0.0.1' } });
  const uri = server.getUri();
  const description = `mongod from mongodb-memory-server at ${describeMongoHosts(uri)}`;
  log(`using ${description}`);
  return {
    uri,
    kind: 'mongodb-memory-server',
    description,
    onCrash: () => undefined,
    stop: async () => {
      await server.stop();
    },
  };
}
