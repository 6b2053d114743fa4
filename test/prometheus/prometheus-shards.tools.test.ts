// NETWORK: loopback only. Two shards of a rendered Prometheus run with their rendered
// configs over the same static targets (each mapped to its own loopback port nobody
// listens on): they must keep disjoint sets of targets whose union is every target.
import { Duration } from 'cdk8s';
import { Prometheus } from '../../lib';
import { getJson } from '../support/alertmanager-cluster';
import { freePort, waitFor } from '../support/daemon';
import { LivePrometheus, startRenderedPrometheus } from '../support/prometheus-pod';
import { givenChart, synth } from '../support/synth';

const TARGETS = Array.from({ length: 24 }, (_, i) => `node-${i}.example.internal:9100`);
const TIMEOUT_MS = 60_000;

describe('two shards of the real Prometheus over the same targets', () => {
  const shards: LivePrometheus[] = [];

  beforeAll(async () => {
    // GIVEN a 2-shard Prometheus with a static job of 24 targets
    const { chart } = givenChart();
    new Prometheus(chart, 'prometheus', {
      shards: 2,
      replicas: 1,
      annotationDiscovery: false,
      scrapeInterval: Duration.seconds(1),
      scrapeTimeout: Duration.seconds(1),
      scrapeJobs: [{ jobName: 'nodes', staticTargets: TARGETS }],
    });
    const manifests = synth(chart);
    // AND every rendered target mapped to a loopback port of its own, the same for both shards
    const local = new Map<string, string>();
    for (const target of TARGETS) local.set(target, `127.0.0.1:${await freePort()}`);
    const mapTarget = (_: unknown, target: string) => local.get(target) ?? '127.0.0.1:1';
    for (const [i, name] of ['prometheus', 'prometheus-shard-1'].entries()) {
      shards.push(await startRenderedPrometheus(manifests, { name, podName: `${name}-0`, mapTarget }));
      expect(shards[i].config.scrape_configs.find((j: any) => j.job_name === 'nodes').static_configs[0].targets).toHaveLength(24);
    }
  }, TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(shards.map(s => s.daemon.stop()));
  }, TIMEOUT_MS);

  test('keep disjoint sets of targets whose union is every target', async () => {
    // WHEN both have synced their targets (Prometheus hands them to the scrape manager within ~5s)
    const active = async (s: LivePrometheus) => ((await getJson(`${s.base}/api/v1/targets?state=active`)).data.activeTargets as any[])
      .filter(t => t.labels.job === 'nodes').map(t => t.discoveredLabels.__address__ as string);
    let sets: string[][] = [];
    await waitFor(async () => {
      sets = await Promise.all(shards.map(active));
      return sets[0].length + sets[1].length === TARGETS.length;
    }, 20_000, 250, 'both shards\' active targets');
    // THEN no target is in both, every target is in one, and both shards got some
    const [a, b] = sets.map(s => new Set(s));
    expect([...a].filter(t => b.has(t))).toEqual([]);
    expect(new Set([...a, ...b]).size).toBe(TARGETS.length);
    expect(a.size).toBeGreaterThan(0);
    expect(b.size).toBeGreaterThan(0);
    // AND each shard labels what it keeps with its shard
    for (const [i, s] of shards.entries()) expect(s.config.global.external_labels.shard).toBe(String(i));
  }, TIMEOUT_MS);
});
