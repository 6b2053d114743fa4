import { parse } from 'yaml';
import { Prometheus, ThanosQuerier } from '../../lib';
import { all, find, givenChart, synth } from '../support/synth';

describe('a sharded Prometheus', () => {
  function givenShards() {
    const { chart } = givenChart();
    const prometheus = new Prometheus(chart, 'prometheus', { shards: 2, replicas: 2 });
    const querier = new ThanosQuerier(chart, 'querier', { stores: [prometheus] });
    return { chart, prometheus, querier, manifests: synth(chart) };
  }

  test('runs a StatefulSet, a disruption budget and spreading per shard; shard 0 keeps the unsharded names', () => {
    // GIVEN / WHEN
    const { manifests, prometheus } = givenShards();
    // THEN
    expect(all(manifests, 'StatefulSet').map(s => s.metadata.name)).toEqual(['prometheus', 'prometheus-shard-1']);
    expect(all(manifests, 'PodDisruptionBudget').map(p => p.metadata.name).filter(n => n.startsWith('prometheus'))).toEqual(['prometheus', 'prometheus-shard-1']);
    expect(prometheus.statefulSets.map(s => s.name)).toEqual(['prometheus', 'prometheus-shard-1']);
    expect(prometheus.podDisruptionBudgets).toHaveLength(2);
    for (const [shard, name] of ['prometheus', 'prometheus-shard-1'].entries()) {
      const sts = find(manifests, 'StatefulSet', name);
      const selector = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus', 'app.kubernetes.io/shard': String(shard) };
      expect(sts.spec.selector.matchLabels).toEqual(selector);
      expect(sts.spec.replicas).toBe(2);
      expect(sts.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels).toEqual(selector);
      expect(find(manifests, 'PodDisruptionBudget', name).spec.selector.matchLabels).toEqual(selector);
      // AND its own config
      expect(sts.spec.template.spec.volumes.find((v: any) => v.name === 'config').configMap.name).toBe(shard ? 'prometheus-config-shard-1' : 'prometheus-config');
    }
  });

  test('each shard keeps its hashmod share of every job and labels its series with its shard', () => {
    // GIVEN / WHEN
    const { prometheus } = givenShards();
    // THEN
    for (const shard of [0, 1]) {
      const config = parse(prometheus.renderConfig(shard));
      expect(config.global.external_labels).toEqual({ shard: String(shard), replica: '${POD_NAME}' });
      for (const job of config.scrape_configs) {
        const rules = job.relabel_configs;
        expect(rules[0]).toEqual({ source_labels: ['__address__'], target_label: '__tmp_shard_address', action: 'replace' });
        expect(rules.slice(-2)).toEqual([
          { source_labels: ['__tmp_shard_address'], modulus: 2, target_label: '__tmp_hash', action: 'hashmod' },
          { source_labels: ['__tmp_hash'], regex: String(shard), action: 'keep' },
        ]);
      }
    }
  });

  test('the Querier reads every shard through one headless Service and de-duplicates replicas only', () => {
    // GIVEN / WHEN
    const { querier, prometheus, manifests } = givenShards();
    // THEN every shard's pods are behind the Store API address
    expect(find(manifests, 'Service', 'prometheus-headless').spec.selector).toEqual({
      'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus',
    });
    expect(parse(querier.renderEndpoints()).endpoints).toEqual([{ address: prometheus.storeApiAddress }]);
    const args: string[] = find(manifests, 'Deployment', 'querier').spec.template.spec.containers[0].args;
    expect(args.filter(a => a.startsWith('--query.replica-label'))).toEqual(['--query.replica-label=replica']);
  });

  test('one Prometheus scrapes every pod of every shard once, through the shards', () => {
    // GIVEN / WHEN
    const { prometheus } = givenShards();
    const job = (shard: number) => parse(prometheus.renderConfig(shard)).scrape_configs.find((j: any) => j.job_name === 'prometheus');
    // THEN both shards list the same four pods; the hashmod splits them
    const targets = job(0).static_configs[0].targets;
    expect(targets).toEqual([
      'prometheus-0.prometheus-headless.monitoring.svc:9090', 'prometheus-1.prometheus-headless.monitoring.svc:9090',
      'prometheus-shard-1-0.prometheus-headless.monitoring.svc:9090', 'prometheus-shard-1-1.prometheus-headless.monitoring.svc:9090',
    ]);
    expect(job(1).static_configs[0].targets).toEqual(targets);
  });

  test('an unsharded Prometheus renders no shard label and no hashmod', () => {
    // GIVEN / WHEN
    const { chart } = givenChart();
    const config = new Prometheus(chart, 'prometheus').renderConfig();
    // THEN
    expect(config).not.toContain('hashmod');
    expect(parse(config).global.external_labels).toEqual({ replica: '${POD_NAME}' });
  });
});
