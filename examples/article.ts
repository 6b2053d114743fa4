import { App, Chart, Duration } from 'cdk8s';
import {
  Alertmanager, AlertMatcher, Grafana, MonitoringIngress, Prometheus, Pushgateway, Receivers, SecretFile, StackDefaultDenyPolicy, ThanosQuerier,
} from '../lib';

/**
 * The topology of "How to Build a Scalable Prometheus Monitoring System with
 * Thanos on Kubernetes", composed by hand with today's safe defaults:
 * 3 Prometheus replicas (config watch + Thanos sidecars), 2 Thanos Queriers,
 * a Pushgateway, a 3-node Alertmanager cluster, Grafana, one Ingress for all of them.
 */
export function article(app: App): Chart {
  const chart = new Chart(app, 'article', { namespace: 'monitoring' });

  // Each component isolates its own pods; this also denies whatever else carries the stack's label.
  new StackDefaultDenyPolicy(chart, 'default-deny');

  // The article's notification channels: DingTalk (through a webhook bridge, as it has no
  // native receiver) for everything, WeChat for critical alerts. WeChat's API secret stays
  // in Secret `wechat`, mounted because the config names it.
  const alertmanager = new Alertmanager(chart, 'alertmanager', {
    replicas: 3,
    routePrefix: '/alertmanager',
    config: {
      route: {
        receiver: 'dingtalk',
        groupBy: ['alertname', 'namespace'],
        routes: [{ receiver: 'wechat', matchers: [AlertMatcher.eq('severity', 'critical')], continue: true }],
      },
      receivers: [
        Receivers.dingTalkBridge('dingtalk', 'http://dingtalk-bridge.monitoring.svc:8060/dingtalk/ops/send'),
        {
          name: 'wechat',
          wechatConfigs: [{ corpId: 'ww0123456789abcdef', agentId: '1000002', toParty: '2', apiSecretFile: SecretFile.fromSecret('wechat', 'api-secret') }],
        },
      ],
    },
  });
  const pushgateway = new Pushgateway(chart, 'pushgateway', { routePrefix: '/pushgateway' });
  const prometheus = new Prometheus(chart, 'prometheus', {
    replicas: 3,
    retention: Duration.days(14),
    routePrefix: '/prometheus',
    alertmanagers: [alertmanager],
    pushgateways: [pushgateway],
  });
  const querier = new ThanosQuerier(chart, 'thanos-query', {
    replicas: 2,
    stores: [prometheus],
    queryTimeout: Duration.minutes(2),
    maxConcurrentQueries: 20,
    autoDownsampling: true,
  });

  // The article's Ingress serves Grafana too. Its datasource is the Querier, its dashboards
  // the stack's own; the admin login stays in Secret `grafana-admin` (admin-user, admin-password).
  const grafana = new Grafana(chart, 'grafana', {
    adminCredentials: { secretName: 'grafana-admin' },
    datasources: [querier],
  });

  new MonitoringIngress(chart, 'ingress', {
    host: 'monitoring.example.com',
    tlsSecretName: 'monitoring-tls',
    prometheus,
    querier,
    alertmanager,
    // The article exposes the Pushgateway too, for batch jobs outside the cluster.
    pushgateway,
    grafana,
  });
  return chart;
}
