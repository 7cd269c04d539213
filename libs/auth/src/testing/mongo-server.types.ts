/**
 * Which server a {@link StartedMongo} is: the one named by `MONGODB_URI`, the embedded
 * FerretDB program, or a downloaded `mongod` from mongodb-memory-server.
 */
export type MongoServerKind = 'external' | 'ferretdb' | 'mongodb-memory-server';

/**
 * A running MongoDB wire-protocol server.
 */
export interface StartedMongo {
  /** Connection string, credentials included when the server needs them. */
  readonly uri: string;
  /** Which server this is. */
  readonly kind: MongoServerKind;
  /** Process id of the server when this call started one as a child process. */
  readonly pid?: number;
  /** One line naming the server and its address, without credentials. */
  readonly description: string;
  /**
   * Registers a listener called once if the server process dies before {@link stop}, with
   * an error carrying its exit status and last stderr lines. Never called for `external`.
   */
  onCrash(listener: (error: Error) => void): void;
  /** Stops the server this call started; an `external` server is left running. Idempotent. */
  stop(): Promise<void>;
}
