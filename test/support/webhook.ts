import { createServer } from 'http';
import { AddressInfo } from 'net';

/** One alert of a webhook notification. */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/**
 * The body Alertmanager POSTs to a `webhook_configs` URL (version 4 of its webhook
 * format). Bodies are recorded as parsed, not validated against this shape.
 */
export interface WebhookPayload {
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly commonAnnotations: Record<string, string>;
  readonly externalURL: string;
  readonly alerts: WebhookAlert[];
}

/** A fake Alertmanager webhook receiver: records what Alertmanager POSTs. */
export interface WebhookReceiver {
  /** Where to point a `webhook_configs` entry. */
  readonly url: string;
  readonly port: number;
  /** Parsed JSON bodies, in arrival order (Alertmanager webhook payloads). */
  readonly received: WebhookPayload[];
  /** Total alerts across all bodies (each body batches a group's alerts). */
  alertsCount(): number;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 at a free port. Answers 200 to anything, 400 to non-JSON. */
export function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookPayload[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST') {
        res.writeHead(200).end();
        return;
      }
      try {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end();
      } catch {
        // A non-200 makes Alertmanager log the failure, which shows up in its output.
        res.writeHead(400).end('body is not JSON');
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        port,
        received,
        alertsCount: () => received.reduce((n, body) => n + (Array.isArray(body?.alerts) ? body.alerts.length : 0), 0),
        // Keep-alive connections from Alertmanager would otherwise hold close() open.
        close: () => new Promise<void>(done => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
