// The public API of cdk8s-prometheus-thanos.

// Components
export * from './monitoring-chart';
export * from './prometheus';
export * from './prometheus-rbac';
export * from './config-reloader';
export * from './thanos-sidecar';
export * from './thanos-querier';
export * from './thanos-store';
export * from './thanos-compactor';
export * from './object-storage';
export * from './alertmanager';
export * from './pushgateway';
export * from './ingress';
export * from './ingress-auth';

// How components refer to each other, and the NetworkPolicies derived from it
export * from './wiring';
export * from './identity';
export * from './network-graph';
export * from './network-policy';

// Pods: images, security, resources, scheduling
export * from './images';
export * from './versions';
export * from './security';
export * from './resources';
export * from './scheduling';
export * from './pod-template';

// Typed configuration: Prometheus, rules and PromQL, Alertmanager
export * from './config/scrape';
export * from './config/jobs';
export * from './config/relabel';
export * from './config/remote';
export * from './config/storage';
export * from './config/secret-file';
export * from './rules';
export * from './promql';
export * from './config/alertmanager-config';
export * from './config/notification-ports';

// Helpers and checks
export * from './errors';
export * from './durations';
export * from './route-prefix';
export * from './policy';
export * from './testing/promtool';
