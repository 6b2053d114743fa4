import { App } from 'cdk8s';
import { MonitoringChart } from '../lib';

/** The whole stack with its defaults, in namespace `monitoring`. */
export function minimal(app: App): MonitoringChart {
  return new MonitoringChart(app, 'minimal', { namespace: 'monitoring' });
}
