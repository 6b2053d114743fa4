import { NamedPort } from '../../wiring/interfaces';

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };
/** The keys of a receiver entry that hold the URL Alertmanager posts to (not links shown in messages). */
const ENDPOINT_KEYS = ['url', 'api_url', 'webhook_url'];

/** The ports of every http(s) URL in `value` (a receiver entry, its http_config…). */
function urlPorts(value: unknown, out: Set<number>): void {
  if (typeof value === 'string' && /^https?:\/\//.test(value)) {
    try {
      const url = new URL(value);
      out.add(url.port ? Number(url.port) : DEFAULT_PORT[url.protocol]);
    } catch {
      // Not a URL after all; the config validation reports real mistakes.
    }
  } else if (Array.isArray(value)) {
    value.forEach(v => urlPorts(v, out));
  } else if (value && typeof value === 'object') {
    Object.values(value).forEach(v => urlPorts(v, out));
  }
}

function smarthostPort(smarthost: unknown): number | undefined {
  const port = typeof smarthost === 'string' ? Number(smarthost.split(':').pop()) : NaN;
  return Number.isInteger(port) ? port : undefined;
}

/**
 * The TCP ports Alertmanager needs to reach its receivers, read from the
 * rendered configuration, receiver entry by receiver entry: the port of the
 * URL it posts to (its own, else the global one of its type) and of its
 * proxy, the SMTP smarthost of an email entry (its own or the global one),
 * and 443 only for an entry whose URL is in a file or is the receiver's
 * built-in default (Slack, PagerDuty, …).
 */
export function notificationPorts(config: Record<string, unknown>): NamedPort[] {
  const ports = new Set<number>();
  const global = (config.global as Record<string, unknown> | undefined) ?? {};
  const receivers = (config.receivers as Array<Record<string, unknown>> | undefined) ?? [];
  for (const receiver of receivers) {
    for (const [key, entries] of Object.entries(receiver)) {
      if (!key.endsWith('_configs') || !Array.isArray(entries)) continue;
      for (const entry of entries as Array<Record<string, unknown>>) {
        if (key === 'email_configs') {
          const port = smarthostPort(entry.smarthost ?? global.smtp_smarthost);
          if (port !== undefined) ports.add(port);
          continue;
        }
        // The endpoint: the entry's own URL, else the global default of its type (`slack_api_url`), else
        // a URL in a file or the receiver's built-in default, both https on 443.
        const type = key.slice(0, -'_configs'.length);
        const endpoint = ENDPOINT_KEYS.map(k => entry[k]).find(v => typeof v === 'string') ?? global[`${type}_api_url`] ?? 'https://default';
        urlPorts(endpoint, ports);
        urlPorts((entry.http_config as Record<string, unknown> | undefined)?.proxy_url, ports);
      }
    }
  }
  return [...ports].sort((a, b) => a - b).map(port => ({ name: `notify-${port}`, port }));
}
