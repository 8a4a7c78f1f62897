/*
 * Git smart HTTP server on loopback: a Node http server running
 * `git http-backend` as a CGI for every request, with optional HTTP Basic
 * auth, artificial latency and a "hang" mode for timeout tests.
 */
import { ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { createGitHome, gitEnv, removeGitHome } from './gitRepos';

export interface GitHttpServerOptions {
  /** Directory holding the repositories (GIT_PROJECT_ROOT). */
  projectRoot: string;
  /** With username and password set, HTTP Basic auth is required. */
  username?: string;
  password?: string;
  /** Delay every response by this many ms. */
  delayMs?: number;
  /** Accept connections but never answer. */
  hang?: boolean;
}

export interface GitHttpRequest {
  method: string;
  url: string;
  command?: string;
}

export interface GitHttpServer {
  /** http://127.0.0.1:<port>/<repoName> (never with credentials). */
  url(repoName: string): string;
  port: number;
  /** Closes the server, destroying open sockets and running CGIs. */
  stop(): Promise<void>;
  /** Number of HTTP requests received so far. */
  readonly requests: number;
  /**
   * Every request received so far: method, path with query (never credentials) and,
   * for a protocol v2 POST, its command once the body has arrived (`ls-refs`, `fetch`).
   */
  readonly log: ReadonlyArray<GitHttpRequest>;
  /** Changes (or enables) the required credentials. */
  setCredentials(username: string, password: string): void;
}

/** Constant-time string comparison (hashes first so lengths don't leak). */
function safeEqual(a: string, b: string): boolean {
  const ha = crypto.createHash('sha256').update(a, 'utf8').digest();
  const hb = crypto.createHash('sha256').update(b, 'utf8').digest();
  return crypto.timingSafeEqual(ha, hb);
}

/** Decodes a Basic Authorization header into user/password. */
function parseBasicAuth(header: string | undefined) {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

/**
 * Adds a POST's protocol v2 command to its log entry once the body has arrived.
 * Called in the same tick as the pipe into the CGI, so both see every chunk.
 */
function captureCommand(req: http.IncomingMessage, entry: GitHttpRequest) {
  if (req.method !== 'POST') return;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    try {
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
    } catch {
      return;
    }
    entry.command = /^[0-9a-f]{4}command=([a-z-]+)/.exec(body.subarray(0, 64).toString('latin1'))?.[1];
  });
}

/** Finds the end of the CGI header block ("\r\n\r\n" or "\n\n"). */
function headerEnd(buf: Buffer): { at: number; skip: number } | undefined {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, skip: 4 };
  if (lf >= 0) return { at: lf, skip: 2 };
  return undefined;
}

/** Runs git http-backend for one request and relays its CGI response. */
function runBackend(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  projectRoot: string,
  remoteUser: string | undefined,
  children: Set<ChildProcess>,
  home: string,
) {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    // Allow pushes over HTTP (off by default without REMOTE_USER).
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.receivepack',
    GIT_CONFIG_VALUE_0: 'true',
  };
  if (remoteUser !== undefined) env.REMOTE_USER = remoteUser;
  const h = req.headers;
  if (h['content-type']) env.CONTENT_TYPE = h['content-type'];
  if (h['content-length']) env.CONTENT_LENGTH = h['content-length'];
  // http-backend inflates gzip request bodies itself.
  if (h['content-encoding']) env.HTTP_CONTENT_ENCODING = h['content-encoding'];
  // Needed for protocol v2.
  const proto = h['git-protocol'];
  if (typeof proto === 'string') env.HTTP_GIT_PROTOCOL = proto;

  const child = spawn('git', ['http-backend'], {
    env: gitEnv(home, env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8192);
  });

  // Request body -> CGI stdin (the CGI may exit early: ignore EPIPE).
  child.stdin.on('error', () => {});
  req.pipe(child.stdin);

  // If the client goes away, stop the CGI.
  res.on('close', () => {
    if (child.exitCode === null && child.signalCode === null)
      child.kill('SIGKILL');
  });

  let head: Buffer = Buffer.alloc(0);
  let headersSent = false;
  const fail = (message: string) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`${message}\n${stderr}`);
  };

  child.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      // Respect back-pressure from the client.
      if (!res.write(chunk)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (!end) return;
    // Parse "Name: value" lines; "Status: 404 Not Found" sets the status.
    let status = 200;
    let statusText: string | undefined;
    const headers: Record<string, string | string[]> = {};
    for (const line of head
      .subarray(0, end.at)
      .toString('latin1')
      .split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') {
        const m = /^(\d{3})\s*(.*)$/.exec(value);
        if (m) {
          status = Number(m[1]);
          statusText = m[2] || undefined;
        }
        continue;
      }
      const prev = headers[name];
      headers[name] =
        prev === undefined ? value : ([] as string[]).concat(prev, value);
    }
    res.writeHead(status, statusText, headers);
    headersSent = true;
    const rest = head.subarray(end.at + end.skip);
    head = Buffer.alloc(0);
    if (rest.length) res.write(rest);
  });

  child.on('error', err => {
    children.delete(child);
    fail(`cannot run git http-backend: ${err.message}`);
  });
  child.on('close', code => {
    children.delete(child);
    if (headersSent) res.end();
    else fail(`git http-backend exited (${code}) without headers`);
  });
}

/** Starts a smart HTTP git server for the repos under `projectRoot`. */
export async function startGitHttpServer(
  opts: GitHttpServerOptions,
): Promise<GitHttpServer> {
  const projectRoot = path.resolve(opts.projectRoot);
  let credentials =
    opts.username !== undefined && opts.password !== undefined
      ? { user: opts.username, pass: opts.password }
      : undefined;
  const log: GitHttpRequest[] = [];
  const sockets = new Set<net.Socket>();
  const children = new Set<ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  const home = await createGitHome();

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, entry: GitHttpRequest) => {
    let remoteUser: string | undefined;
    if (credentials) {
      const given = parseBasicAuth(req.headers.authorization);
      // Evaluate both comparisons so timing does not reveal which failed.
      const userOk = safeEqual(given?.user ?? '', credentials.user);
      const passOk = safeEqual(given?.pass ?? '', credentials.pass);
      if (!given || !userOk || !passOk) {
        req.resume(); // drain any body
        res.writeHead(401, {
          'WWW-Authenticate': 'Basic realm="git"',
          'Content-Type': 'text/plain',
        });
        res.end('Unauthorized\n');
        return;
      }
      remoteUser = given.user;
    }
    try {
      captureCommand(req, entry);
      runBackend(req, res, projectRoot, remoteUser, children, home);
    } catch (err) {
      // e.g. a malformed percent-encoding in the path
      req.resume();
      res.writeHead(400, { 'Content-Type': 'text/plain' });
      res.end(`${String(err)}\n`);
    }
  };

  const server = http.createServer((req, res) => {
    const entry: GitHttpRequest = { method: req.method ?? '', url: req.url ?? '' };
    log.push(entry);
    if (opts.hang) return; // never answer
    const delay = opts.delayMs ?? 0;
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        handle(req, res, entry);
      }, delay);
      timers.add(timer);
    } else {
      handle(req, res, entry);
    }
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await removeGitHome(home);
    throw err;
  }
  const { port } = server.address() as net.AddressInfo;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= new Promise<void>(resolve => {
      server.close(() => resolve());
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const child of children) child.kill('SIGKILL');
      for (const socket of sockets) socket.destroy();
    }).then(() => removeGitHome(home)));

  return {
    port,
    url: repoName => `http://127.0.0.1:${port}/${repoName.replace(/^\/+/, '')}`,
    stop,
    get requests() {
      return log.length;
    },
    log,
    setCredentials(username: string, password: string) {
      credentials = { user: username, pass: password };
    },
  };
}
