import { Chart } from 'cdk8s';
import { Alertmanager, IngressAuth, MonitoringIngress, Prometheus, Pushgateway, ThanosQuerier } from '../../lib';
import { container, find, flagValues, givenChart, synth, testApp } from '../support/synth';

describe('MonitoringIngress', () => {
  test('routes each component by path on one host, with TLS', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus' });
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
    const alertmanager = new Alertmanager(chart, 'alertmanager', { routePrefix: '/alertmanager' });
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'monitoring.example.com', tlsSecretName: 'monitoring-tls', prometheus, querier, alertmanager });
    const manifests = synth(chart);
    // THEN
    const ingress = find(manifests, 'Ingress', 'ingress');
    // One line per path, in the order the Ingress lists them: blocked admin paths, then each route.
    expect(ingress.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) =>
      `${r.host} ${p.pathType} ${p.path} -> ${p.backend.service.name}:${p.backend.service.port.name}`))).toMatchSnapshot();
    expect(ingress.metadata).toEqual({
      name: 'ingress',
      namespace: 'monitoring',
      labels: {
        'app.kubernetes.io/component': 'ingress',
        'app.kubernetes.io/instance': 'ingress',
        'app.kubernetes.io/managed-by': 'cdk8s',
        'app.kubernetes.io/name': 'monitoring-ingress',
        'app.kubernetes.io/part-of': 'cdk8s-prometheus-thanos',
      },
    });
    expect(Object.keys(ingress.spec).sort()).toEqual(['ingressClassName', 'rules', 'tls']);
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['monitoring.example.com'], secretName: 'monitoring-tls' }]);
    const paths = ingress.spec.rules[0].http.paths
      .filter((p: any) => p.backend.service.name !== 'ingress-blocked')
      .map((p: any) => [p.path, p.backend.service.name, p.backend.service.port.name]);
    expect(paths).toEqual([
      ['/alertmanager', 'alertmanager', 'web'],
      ['/prometheus', 'prometheus', 'web'],
      // Given no routePrefix, the querier serves under its conventional path.
      ['/thanos', 'querier', 'http'],
    ]);
  });

  test('tells the exposed components their public URL', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus' });
    const alertmanager = new Alertmanager(chart, 'alertmanager', { routePrefix: '/alertmanager' });
    const pushgateway = new Pushgateway(chart, 'pushgateway', { routePrefix: '/pushgateway' });
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'mon.example.com', tlsSecretName: 'tls', prometheus, alertmanager, pushgateway });
    const manifests = synth(chart);
    // THEN
    expect(flagValues(container(find(manifests, 'StatefulSet', 'prometheus'), 'prometheus').args, '--web.external-url'))
      .toEqual(['https://mon.example.com/prometheus']);
    expect(flagValues(container(find(manifests, 'StatefulSet', 'alertmanager'), 'alertmanager').args, '--web.external-url'))
      .toEqual(['https://mon.example.com/alertmanager']);
    expect(flagValues(container(find(manifests, 'StatefulSet', 'pushgateway'), 'pushgateway').args, '--web.external-url'))
      .toEqual(['https://mon.example.com/pushgateway']);
  });

  test('routes by host with addRoute', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    const alertmanager = new Alertmanager(chart, 'alertmanager');
    const ingress = new MonitoringIngress(chart, 'ingress', { tlsSecretName: 'wildcard-tls' });
    // WHEN
    ingress.addRoute(prometheus, { host: 'prometheus.example.com' });
    ingress.addRoute(alertmanager, { host: 'alertmanager.example.com' });
    const rendered = find(synth(chart), 'Ingress', 'ingress');
    // THEN
    expect(rendered.spec.rules.map((r: any) => r.host)).toEqual(['prometheus.example.com', 'alertmanager.example.com']);
    expect(rendered.spec.tls[0].hosts).toEqual(['prometheus.example.com', 'alertmanager.example.com']);
  });

  test('the smallest path-based Ingress works: components without a routePrefix serve under their conventional paths', () => {
    // GIVEN the four components, none given a routePrefix
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
    const alertmanager = new Alertmanager(chart, 'alertmanager');
    const pushgateway = new Pushgateway(chart, 'pushgateway');
    // WHEN one Ingress routes them by path on one host
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', prometheus, querier, alertmanager, pushgateway });
    const manifests = synth(chart);
    // THEN each is routed under its conventional path
    const routed = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths.filter((p: any) => p.pathType === 'Prefix' && !p.path.includes('/api/v1/admin'));
    expect(routed.map((p: any) => p.path).sort()).toEqual(['/alertmanager', '/prometheus', '/pushgateway', '/thanos']);
    // AND serves under it: flags, probes and the URLs its sidecars call follow
    const prom = find(manifests, 'StatefulSet', 'prometheus').spec.template.spec.containers;
    expect(prom[0].args).toContain('--web.route-prefix=/prometheus');
    expect(prom[0].args).toContain('--web.external-url=https://m.example.com/prometheus');
    expect(prom[0].readinessProbe.httpGet.path).toBe('/prometheus/-/ready');
    expect(prom.find((c: any) => c.name === 'config-reloader').args).toContain('--reload-url=http://127.0.0.1:9090/prometheus/-/reload');
    expect(prom.find((c: any) => c.name === 'thanos-sidecar').args).toContain('--prometheus.url=http://127.0.0.1:9090/prometheus');
    expect(find(manifests, 'Deployment', 'querier').spec.template.spec.containers[0].args).toContain('--web.route-prefix=/thanos');
    expect(find(manifests, 'StatefulSet', 'alertmanager').spec.template.spec.containers[0].args).toContain('--web.route-prefix=/alertmanager');
    expect(find(manifests, 'StatefulSet', 'pushgateway').spec.template.spec.containers[0].args).toContain('--web.route-prefix=/pushgateway');
    // AND Prometheus scrapes and alerts under those paths
    expect(prometheus.renderConfig()).toMatch(/job_name: prometheus\n\s+metrics_path: \/prometheus\/metrics/);
    expect(prometheus.renderConfig()).toMatch(/job_name: alertmanager\n\s+metrics_path: \/alertmanager\/metrics/);
  });

  test('fails when components want the same path, naming every clash at once', () => {
    // GIVEN two pairs of components that ask for the same paths
    const { app, chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { routePrefix: '/' });
    const alertmanager = new Alertmanager(chart, 'alertmanager', { routePrefix: '/' });
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus], routePrefix: '/x' });
    const pushgateway = new Pushgateway(chart, 'pushgateway', { routePrefix: '/x' });
    // WHEN one Ingress routes them all on one host
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', prometheus, alertmanager, querier, pushgateway });
    // THEN synth names both clashes
    expect(() => app.synth()).toThrow(/test\/ingress: invalid 'alertmanager': 'test\/prometheus' and 'test\/alertmanager' all want m.example.com\/[\s\S]*test\/ingress: invalid 'pushgateway': 'test\/querier' and 'test\/pushgateway' all want m.example.com\/x/);
  });

  test('fails when a component lives in another namespace', () => {
    // GIVEN
    const app = testApp();
    const other = new Chart(app, 'other', { namespace: 'elsewhere' });
    const here = new Chart(app, 'here', { namespace: 'monitoring' });
    const prometheus = new Prometheus(other, 'prometheus');
    // WHEN / THEN
    expect(() => new MonitoringIngress(here, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', prometheus }))
      .toThrow(/here\/ingress: invalid 'prometheus': 'other\/prometheus' is in namespace 'elsewhere'/);
  });

  test('fails without TLS unless plain HTTP is asked for explicitly', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN / THEN
    expect(() => new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', prometheus }))
      .toThrow(/test\/ingress: invalid 'tlsSecretName': TLS is required/);
    const insecure = new MonitoringIngress(chart, 'insecure', { host: 'm.example.com', allowInsecureHttp: true, prometheus });
    expect(find(synth(chart), 'Ingress', insecure.identity.name).spec.tls).toBeUndefined();
  });

  test('fails at synth when it routes to nothing', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls' });
    // THEN
    expect(() => synth(chart)).toThrow(/test\/ingress: invalid 'routes': the Ingress exposes nothing/);
  });
});

describe('MonitoringIngress hardening', () => {
  test('admin and lifecycle endpoints are never routed to a component', () => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { routePrefix: '/prometheus' });
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', prometheus });
    const manifests = synth(chart);
    // THEN the specific paths go to a Service that has no endpoints at all
    const paths = find(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths;
    const blocked = paths.filter((p: any) => p.backend.service.name === 'ingress-blocked').map((p: any) => `${p.pathType} ${p.path}`);
    expect(blocked).toEqual(['Exact /prometheus/-/reload', 'Exact /prometheus/-/quit', 'Prefix /prometheus/api/v1/admin']);
    const blackhole = find(manifests, 'Service', 'ingress-blocked');
    expect(blackhole.spec.selector).toBeUndefined();
    const toPrometheus = paths.filter((p: any) => p.backend.service.name === 'prometheus').map((p: any) => p.path);
    expect(toPrometheus).toEqual(['/prometheus']);
  });

  test.each([
    ['basic', IngressAuth.basic('monitoring-htpasswd'), { 'nginx.ingress.kubernetes.io/auth-type': 'basic', 'nginx.ingress.kubernetes.io/auth-secret': 'monitoring-htpasswd' }],
    ['oauth2-proxy', IngressAuth.oauth2Proxy('https://auth.example.com/oauth2/'), { 'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/oauth2/auth' }],
  ])('%s auth becomes nginx annotations', (_name, auth, expected) => {
    // GIVEN
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus');
    // WHEN
    new MonitoringIngress(chart, 'ingress', { host: 'm.example.com', tlsSecretName: 'tls', prometheus, auth });
    // THEN
    expect(find(synth(chart), 'Ingress', 'ingress').metadata.annotations).toEqual(expect.objectContaining(expected));
  });

  test('fails when the oauth2-proxy URL is not a URL', () => {
    // GIVEN / WHEN / THEN
    expect(() => IngressAuth.oauth2Proxy('auth.example.com')).toThrow(/must be an http\(s\) URL/);
  });
});
