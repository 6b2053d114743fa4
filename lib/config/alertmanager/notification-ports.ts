import { NamedPort } from '../../wiring/interfaces';

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

function collect(value: unknown, key: string, out: Set<number>): void {
  if (typeof value === 'string') {
    if (/^https?:\/\//.test(value)) {
      try {
        const url = new URL(value);
        out.add(url.port ? Number(url.port) : DEFAULT_PORT[url.protocol]);
      } catch {
        // Not a URL after all; the config validation reports real mistakes.
      }
    } else if (key === 'smarthost' || key === 'smtp_smarthost') {
      const port = Number(value.split(':').pop());
      if (Number.isInteger(port)) out.add(port);
    }
  } else if (Array.isArray(value)) {
    value.forEach(v => collect(v, key, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, k, out);
  }
}

/**
 * The TCP ports Alertmanager needs to reach its receivers, read from the
 * rendered configuration: ports of every URL and SMTP smarthost, and 443 for
 * receivers whose URL is in a file or a built-in default (Slack, PagerDuty…).
 */
export function notificationPorts(config: Record<string, unknown>): NamedPort[] {
  const ports = new Set<number>();
  collect(config, '', ports);
  const receivers = (config.receivers as Array<Record<string, unknown>> | undefined) ?? [];
  if (receivers.some(r => Object.keys(r).some(k => k.endsWith('_configs')))) ports.add(443);
  return [...ports].sort((a, b) => a - b).map(port => ({ name: `notify-${port}`, port }));
}
