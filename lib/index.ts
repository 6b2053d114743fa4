// The public API of cdk8s-prometheus-thanos.

// Components
export * from './monitoring-chart';
export * from './prometheus/prometheus';
export * from './prometheus/discovery-scope';
export * from './pod/config-reloader';
export * from './prometheus/thanos-sidecar';
export * from './thanos/thanos-querier';
export * from './thanos/thanos-store-gateway';
export * from './thanos/thanos-compactor';
export * from './thanos/object-storage';
export * from './alertmanager/alertmanager';
export * from './pushgateway/pushgateway';
export * from './ingress/monitoring-ingress';
export * from './ingress/ingress-auth';

// How components refer to each other, and the NetworkPolicies derived from it
export * from './wiring/interfaces';
export * from './private/identity';
export * from './wiring/network-graph';
export * from './wiring/network-policies';

// Pods: images, security, resources, scheduling
export * from './images/container-image';
export * from './images/default-images';
export * from './pod/security';
export * from './pod/resources';
export * from './pod/scheduling';
export * from './private/pod-template';

// Typed configuration: Prometheus, rules and PromQL, Alertmanager
export * from './config/prometheus/scrape-job';
export * from './config/prometheus/scrape-jobs';
export * from './config/prometheus/relabel';
export * from './config/prometheus/remote-storage';
export * from './config/prometheus/tsdb';
export * from './config/common/secret-file';
export * from './config/rules/rule-group';
export * from './config/rules/rule-tests';
export * from './config/rules/default-rules';
export * from './config/promql/promql';
export * from './config/alertmanager/alertmanager-config';
export * from './config/alertmanager/notification-ports';

// Helpers and checks
export * from './errors';
export * from './private/durations';
export * from './private/route-prefix';
export * from './policy/check-policies';
export * from './testing/promtool';
