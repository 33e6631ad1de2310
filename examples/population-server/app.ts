// A population server for n1kit: patients' devices POST differentially private effect
// releases; the server keeps them in SQLite and serves the current pooled population prior.
// Node `http`, no framework. The library functions are passed in, so the same code runs
// against the built package (examples/population-server.ts) and against src/ (its test).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type { Dist, PooledPrior, ReleaseGroup } from 'n1kit';

/** What the server needs from n1kit. */
export interface PopulationLibrary {
  poolReleaseGroups(o: { groups: readonly ReleaseGroup[]; priors: { mean: Dist; heterogeneity: Dist }; betterIs?: 'higher' | 'lower' }): PooledPrior;
}

export interface PopulationServerOptions {
  /** SQLite file, or ':memory:'. */
  readonly database: string;
  /** Priors of the pooling model, per candidate or one for all. */
  readonly priors: { readonly mean: Dist; readonly heterogeneity: Dist };
  readonly betterIs?: 'higher' | 'lower';
  /** Largest request body in bytes. @defaultValue 65536 */
  readonly bodyLimit?: number;
  /** Most releases in one POST. @defaultValue 500 */
  readonly maxReleasesPerRequest?: number;
  /** Largest |value| and sd accepted (releases live on an effect scale). @defaultValue 1e6 */
  readonly maxMagnitude?: number;
}

export interface PopulationServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

const CANDIDATE = /^[A-Za-z0-9_.-]{1,64}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(new HttpError(413, `body larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new HttpError(413, `body larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
    });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Starts the server on 127.0.0.1 (port 0 = any free port).
 *
 * POST /releases  `{ "candidate": "magnesium", "releases": [{ "value": -2.1, "sd": 3.4 }, ...] }`
 *   → 201 `{ accepted }`; every release is validated before any is stored (one transaction).
 * GET /prior/:candidate → 200 `{ candidate, releases, groups, pooled }` (404 before the first release).
 *
 * Storage: table `releases` keeps every release (for audit); table `groups` keeps the additive
 * sufficient statistics (count, Σ value, Σ value²) per candidate and sd, updated in the same
 * transaction, so serving the prior reads O(distinct sds) rows, not every release.
 */
export async function startPopulationServer(lib: PopulationLibrary, options: PopulationServerOptions, port = 0): Promise<PopulationServer> {
  const bodyLimit = options.bodyLimit ?? 65_536;
  const maxCount = options.maxReleasesPerRequest ?? 500;
  const maxMag = options.maxMagnitude ?? 1e6;
  const db = new Database(options.database);
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS releases (id INTEGER PRIMARY KEY, candidate TEXT NOT NULL, value REAL NOT NULL, sd REAL NOT NULL CHECK (sd > 0), received TEXT NOT NULL DEFAULT (datetime('now')));
    CREATE TABLE IF NOT EXISTS groups (candidate TEXT NOT NULL, sd REAL NOT NULL, count INTEGER NOT NULL, sum REAL NOT NULL, sum_squares REAL NOT NULL, PRIMARY KEY (candidate, sd));
  `);
  const insert = db.prepare('INSERT INTO releases (candidate, value, sd) VALUES (?, ?, ?)');
  const upsert = db.prepare(`INSERT INTO groups (candidate, sd, count, sum, sum_squares) VALUES (?, ?, 1, ?, ?)
    ON CONFLICT (candidate, sd) DO UPDATE SET count = count + 1, sum = sum + excluded.sum, sum_squares = sum_squares + excluded.sum_squares`);
  const readGroups = db.prepare('SELECT sd, count, sum, sum_squares AS sumSquares FROM groups WHERE candidate = ? ORDER BY sd');
  const store = db.transaction((candidate: string, rs: readonly { value: number; sd: number }[]) => {
    for (const r of rs) {
      insert.run(candidate, r.value, r.sd);
      upsert.run(candidate, r.sd, r.value, r.value * r.value);
    }
  });
  const cache = new Map<string, unknown>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/releases') {
      if (req.method !== 'POST') throw new HttpError(405, 'use POST');
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'send application/json');
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, bodyLimit));
      } catch (e) {
        if (e instanceof HttpError) throw e;
        throw new HttpError(400, 'the body is not JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the body must be an object');
      const { candidate, releases, ...extra } = body as Record<string, unknown>;
      if (Object.keys(extra).length > 0) throw new HttpError(400, `unknown field ${Object.keys(extra)[0]}`);
      if (typeof candidate !== 'string' || !CANDIDATE.test(candidate)) throw new HttpError(400, '`candidate` must match [A-Za-z0-9_.-]{1,64}');
      if (!Array.isArray(releases) || releases.length === 0) throw new HttpError(400, '`releases` must be a non-empty array');
      if (releases.length > maxCount) throw new HttpError(413, `at most ${maxCount} releases per request`);
      const clean = releases.map((r: unknown, i: number) => {
        if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new HttpError(400, `releases[${i}] must be { value, sd }`);
        const { value, sd, ...rest } = r as Record<string, unknown>;
        if (Object.keys(rest).length > 0) throw new HttpError(400, `releases[${i}] has unknown field ${Object.keys(rest)[0]}`);
        if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > maxMag) throw new HttpError(400, `releases[${i}].value must be a finite number within ±${maxMag}`);
        if (typeof sd !== 'number' || !Number.isFinite(sd) || sd <= 0 || sd > maxMag) throw new HttpError(400, `releases[${i}].sd must be in (0, ${maxMag}]`);
        return { value, sd };
      });
      store(candidate, clean);
      cache.delete(candidate);
      send(res, 201, { accepted: clean.length });
      return;
    }
    const m = /^\/prior\/([^/]+)$/.exec(url.pathname);
    if (m !== null) {
      if (req.method !== 'GET') throw new HttpError(405, 'use GET');
      const candidate = decodeURIComponent(m[1] as string);
      if (!CANDIDATE.test(candidate)) throw new HttpError(400, 'bad candidate');
      let out = cache.get(candidate);
      if (out === undefined) {
        const groups = readGroups.all(candidate) as ReleaseGroup[];
        if (groups.length === 0) throw new HttpError(404, `no releases for ${candidate} yet`);
        const pooled = lib.poolReleaseGroups({ groups, priors: options.priors, ...(options.betterIs === undefined ? {} : { betterIs: options.betterIs }) });
        out = { candidate, releases: pooled.releases, groups, pooled };
        cache.set(candidate, out);
      }
      send(res, 200, out);
      return;
    }
    throw new HttpError(404, 'not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) send(res, e.status, { error: e.message });
      else send(res, 500, { error: 'internal error' });
    });
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          db.close();
          if (err) reject(err);
          else resolve();
        });
      }),
  };
}
