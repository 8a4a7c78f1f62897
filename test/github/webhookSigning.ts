/* Webhook deliveries signed as GitHub signs them. */
import crypto from 'node:crypto';

/** `sha256=<hex>` of a webhook body, as GitHub sends in X-Hub-Signature-256. */
export function signWebhook(secret: string, body: string | Buffer): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Headers of a webhook delivery as GitHub sends them. */
export function webhookHeaders(
  event: string,
  body: string | Buffer,
  secret: string,
  deliveryId: string = crypto.randomUUID(),
): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/test',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': deliveryId,
    'X-GitHub-Hook-ID': '1',
    'X-Hub-Signature-256': signWebhook(secret, body),
  };
}
