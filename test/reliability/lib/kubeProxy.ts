/*
 * A small fault-injecting HTTPS proxy in front of the real test API server.
 * It terminates TLS with its own certificate, forwards every request to the
 * upstream (trusting the cluster's CA), and can:
 *  - swap a bearer token (the backend holds `acceptToken`, the upstream gets
 *    `upstreamToken`), so a canary can be the cluster token;
 *  - per request, answer 500, never answer ('hang'), or drop the connection.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { selfSignedCert } from './tls';

export type Fault = '500' | 'hang' | 'drop' | undefined;

export interface KubeProxyOptions {
  upstream: string;
  upstreamCa: string; // PEM
  acceptToken?: string;
  upstreamToken?: string;
  fault?: (req: http.IncomingMessage) => Fault;
}

export interface KubeProxy {
  url: string;
  /** PEM of the proxy's certificate (its own CA). */
  ca: string;
  setFault(fault: KubeProxyOptions['fault']): void;
  /** Requests seen, as "METHOD path". */
  log: string[];
  faults: Array<{ fault: Fault; request: string }>;
  stop(): Promise<void>;
}

export async function startKubeProxy(options: KubeProxyOptions): Promise<KubeProxy> {
  const tls = await selfSignedCert();
  const upstream = new URL(options.upstream);
  const agent = new https.Agent({ ca: options.upstreamCa, keepAlive: true });
  let fault = options.fault;
  const log: string[] = [];
  const faults: KubeProxy['faults'] = [];
  const sockets = new Set<net.Socket>();

  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const line = `${req.method} ${req.url}`;
    log.push(line);
    const f = fault?.(req);
    if (f) faults.push({ fault: f, request: line });
    if (f === 'hang') {
      req.resume();
      return; // never answer
    }
    if (f === 'drop') {
      req.socket.destroy();
      return;
    }
    if (f === '500') {
      req.resume();
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'injected fault: internal error', reason: 'InternalError', code: 500 }));
      return;
    }
    const headers = { ...req.headers, host: upstream.host };
    if (options.acceptToken && options.upstreamToken && headers.authorization === `Bearer ${options.acceptToken}`) {
      headers.authorization = `Bearer ${options.upstreamToken}`;
    }
    const up = https.request(
      { protocol: 'https:', hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      upRes => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', e => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(up);
  });
  server.on('connection', s => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    ca: tls.cert,
    setFault: f => {
      fault = f;
    },
    log,
    faults,
    stop: () =>
      new Promise<void>(resolve => {
        for (const s of sockets) s.destroy();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}
