/* GitHub webhook deliveries as GitHub sends them: JSON body, X-Hub-Signature-256 HMAC. */
import crypto from 'node:crypto';
import http from 'node:http';
import request from 'supertest';

/** `sha256=<hex HMAC-SHA256 of the raw body>`. */
export function signature(secret: string, body: Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The body of a `push` event adding `added` files on `branch` of the repository at `cloneUrl`. */
export function pushBody(cloneUrl: string, added: string[], branch = 'main'): Buffer {
  const fullName = new URL(cloneUrl).pathname.replace(/^\/|\.git$/g, '');
  return Buffer.from(
    JSON.stringify({
      ref: `refs/heads/${branch}`,
      before: '0'.repeat(40),
      after: crypto.randomBytes(20).toString('hex'),
      created: false,
      deleted: false,
      forced: false,
      repository: { full_name: fullName, clone_url: cloneUrl },
      pusher: { name: 'octocat' },
      sender: { login: 'octocat' },
      commits: [{ id: crypto.randomBytes(20).toString('hex'), added, removed: [], modified: [] }],
    }),
  );
}

/** POSTs one delivery to the plugin's webhook route. */
export function deliver(
  server: http.Server,
  body: Buffer,
  headers: { event: string; delivery: string; signature?: string },
): request.Test {
  const req = request(server)
    .post('/api/hedgehog/webhooks/github')
    .set('Content-Type', 'application/json')
    .set('X-GitHub-Event', headers.event)
    .set('X-GitHub-Delivery', headers.delivery);
  if (headers.signature) req.set('X-Hub-Signature-256', headers.signature);
  return req.send(body.toString('utf8'));
}
