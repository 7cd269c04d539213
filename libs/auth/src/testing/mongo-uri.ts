/**
 * The hosts of a MongoDB connection string, without scheme, credentials, path or options,
 * so that it can be named in a log line or an error without leaking a password.
 *
 * @example
 * describeMongoHosts('mongodb://app:s3cret@db1:27017,db2:27017/app?replicaSet=rs0'); // 'db1:27017,db2:27017'
 */
export function describeMongoHosts(uri: string): string {
  const authority = authorityOf(uri);
  return authority.slice(authority.lastIndexOf('@') + 1);
}

/**
 * A copy of a MongoDB connection string pointing at another database, keeping hosts,
 * credentials and options.
 *
 * @example
 * withDatabase('mongodb://localhost:27017/?w=majority', 'test_a'); // 'mongodb://localhost:27017/test_a?w=majority'
 */
export function withDatabase(uri: string, database: string): string {
  const { prefix, query } = splitUri(uri);
  return `${prefix}/${database}${query}`;
}

/**
 * The connection string with its password replaced by `***`, for logs.
 */
export function redactMongoUri(uri: string): string {
  const { scheme, authority } = splitUri(uri);
  const at = authority.lastIndexOf('@');
  if (at < 0) return uri;
  const user = authority.slice(0, at).split(':')[0];
  return uri.replace(`${scheme}${authority}`, `${scheme}${user}:***@${authority.slice(at + 1)}`);
}

/**
 * The text with every occurrence of the connection string's password, and of the whole
 * connection string, replaced by `***`: for error messages built from driver errors.
 */
export function scrubMongoSecrets(text: string, uri: string): string {
  const password = passwordOf(uri);
  let scrubbed = text.split(uri).join(redactMongoUri(uri));
  if (password) {
    for (const form of new Set([password, safeDecode(password)])) scrubbed = scrubbed.split(form).join('***');
  }
  return scrubbed;
}

function passwordOf(uri: string): string | undefined {
  const authority = authorityOf(uri);
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const colon = authority.indexOf(':');
  return colon >= 0 && colon < at ? authority.slice(colon + 1, at) : undefined;
}

function authorityOf(uri: string): string {
  return splitUri(uri).authority;
}

function splitUri(uri: string): { scheme: string; authority: string; prefix: string; query: string } {
  const schemeEnd = uri.indexOf('://');
  const scheme = schemeEnd >= 0 ? uri.slice(0, schemeEnd + 3) : '';
  const rest = uri.slice(scheme.length);
  const authorityEnd = firstIndexOf(rest, ['/', '?']);
  const authority = rest.slice(0, authorityEnd);
  const queryStart = rest.indexOf('?', authorityEnd);
  return {
    scheme,
    authority,
    prefix: scheme + authority,
    query: queryStart >= 0 ? rest.slice(queryStart) : '',
  };
}

function firstIndexOf(text: string, characters: string[]): number {
  const found = characters.map((c) => text.indexOf(c)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : text.length;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
