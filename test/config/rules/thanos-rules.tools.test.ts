// The default rules for the Thanos components, run by the real `promtool test rules`:
// for every alert, input series on which it fires (with its exact labels and
// annotations) and series on which it must stay quiet; and which Prometheus gets
// which groups. The series carry the labels the library's scrape jobs give them
// (job, instance, pod). Install the tools with `npm run tools`.
import { Chart, Duration } from 'cdk8s';
import { ObjectStorage, Prometheus, ThanosCompactor, ThanosQuerier, ThanosStoreGateway } from '../../../lib';
import { expectRulesToPass, fires, quiet } from '../../support/promtool';
import { testApp } from '../../support/synth';

const TIMEOUT_MS = 30_000;
const minutes = Duration.minutes;
const hours = Duration.hours;

/** The long-term storage stack's Prometheus as deployed: it scrapes its sidecar, a store gateway, a compactor and a Querier. */
function givenStack(chart = new Chart(testApp(), 'test', { namespace: 'monitoring' })): Prometheus {
  const bucket = ObjectStorage.fromSecret('objstore');
  const prometheus = new Prometheus(chart, 'prometheus', { thanos: { objectStorage: bucket } });
  const store = new ThanosStoreGateway(chart, 'store-gateway', { objectStorage: bucket });
  new ThanosCompactor(chart, 'compactor', { objectStorage: bucket });
  new ThanosQuerier(chart, 'querier', { stores: [prometheus, store] });
  return prometheus;
}


// The labels of each component's series, as its scrape job sets them.
const sidecar = { job: 'thanos-sidecar', instance: 'prometheus-0.prometheus-headless.monitoring.svc:10902', pod: 'prometheus-0' };
const store = { job: 'thanos-store-store-gateway', instance: 'store-gateway-0.store-gateway-headless.monitoring.svc:10902', pod: 'store-gateway-0' };
const compactor = { job: 'thanos-compact-compactor', instance: 'compactor-0.compactor-headless.monitoring.svc:10902', pod: 'compactor-0' };
// Discovered through the querier Service's endpoints: no namespace label.
const querier = { job: 'thanos-query-querier', instance: '10.0.3.7:10902', pod: 'querier-5d8f7c9b6-x2x4q' };

/** `labels` as the inside of a series selector, plus `extra` matchers. */
function sel(labels: Record<string, string>, extra = ''): string {
  return [...Object.entries(labels).map(([k, v]) => `${k}="${v}"`), ...(extra ? [extra] : [])].join(', ');
}

describe('Thanos default rules under promtool test rules', () => {
  let prometheus: Prometheus;
  beforeEach(() => {
    prometheus = givenStack();
  });

  describe('ThanosSidecarUploadsFailing', () => {
    const series = (values: string) => [{ series: `thanos_shipper_upload_failures_total{${sel(sidecar)}}`, values }];

    test('fires when uploads keep failing for 30 minutes', () => {
      // GIVEN a block failing to upload at every retry (twice a minute)
      // WHEN evaluated at 45m
      // THEN the alert fires (critical) for the sidecar's pod
      expectRulesToPass(prometheus, [fires('ThanosSidecarUploadsFailing', series('0+2x60'), minutes(45),
        { ...sidecar, severity: 'critical' },
        {
          summary: 'A Thanos sidecar fails to upload blocks to the bucket.',
          description: 'The Thanos sidecar of prometheus-0 keeps failing to upload blocks: they are lost when Prometheus\' retention deletes them.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet without failures, and after a single failed attempt', () => {
      // GIVEN no failures; one failure at 10m, the retry succeeding
      // WHEN evaluated at 45m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('ThanosSidecarUploadsFailing', series('0x60'), minutes(45)),
        quiet('ThanosSidecarUploadsFailing', series('0x9 1x50'), minutes(45)),
      ]);
    }, TIMEOUT_MS);
  });

  describe.each([
    ['ThanosSidecarBucketOperationsFailing', sidecar, 'Thanos sidecar'],
    ['ThanosStoreBucketOperationsFailing', store, 'Thanos store gateway'],
    ['ThanosCompactBucketOperationsFailing', compactor, 'Thanos compactor'],
  ])('%s', (alert, labels, component) => {
    /** 100 uploads and 100 iters a minute on bucket "metrics", `failing` of the uploads failing. */
    const series = (failing: number) => [
      { series: `thanos_objstore_bucket_operations_total{${sel(labels, 'bucket="metrics", operation="upload"')}}`, values: '0+100x30' },
      { series: `thanos_objstore_bucket_operation_failures_total{${sel(labels, 'bucket="metrics", operation="upload"')}}`, values: `0+${failing}x30` },
      { series: `thanos_objstore_bucket_operations_total{${sel(labels, 'bucket="metrics", operation="iter"')}}`, values: '0+100x30' },
      { series: `thanos_objstore_bucket_operation_failures_total{${sel(labels, 'bucket="metrics", operation="iter"')}}`, values: '0x30' },
    ];

    test('fires when more than 5% of the operations on a bucket fail for 15 minutes', () => {
      // GIVEN 20 of 200 operations a minute failing
      // WHEN evaluated at 25m
      // THEN the alert fires once for the bucket, with the ratio over all its operations
      expectRulesToPass(prometheus, [fires(alert, series(20), minutes(25),
        { job: labels.job, pod: labels.pod, bucket: 'metrics', severity: 'warning' },
        {
          summary: `${component} operations on the bucket are failing.`,
          description: `${component} ${labels.pod} fails 10.0% of its operations on bucket metrics.`,
        })]);
    }, TIMEOUT_MS);

    test('stays quiet without failures, and at 5% or less', () => {
      // GIVEN no failures; 4 of 200 a minute failing
      // WHEN evaluated at 25m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet(alert, series(0), minutes(25)), quiet(alert, series(4), minutes(25))]);
    }, TIMEOUT_MS);
  });

  describe('ThanosQueryEndpointDnsFailures', () => {
    /** 20 lookups a minute, `failing` of them failing. */
    const series = (failing: number) => [
      { series: `thanos_query_endpoints_dns_lookups_total{${sel(querier)}}`, values: '0+20x30' },
      { series: `thanos_query_endpoints_dns_failures_total{${sel(querier)}}`, values: `0+${failing}x30` },
    ];

    test('fires when more than 10% of the lookups fail for 15 minutes', () => {
      // GIVEN half the lookups failing
      // WHEN evaluated at 25m
      // THEN the alert fires for the querier pod
      expectRulesToPass(prometheus, [fires('ThanosQueryEndpointDnsFailures', series(10), minutes(25),
        { pod: querier.pod, severity: 'warning' },
        {
          summary: 'Thanos Query fails to resolve its store endpoints.',
          description: `Thanos Query ${querier.pod} fails 50.0% of its DNS lookups of store endpoints: stores that start or move are missing from its results.`,
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when lookups succeed, and at 10% failures or less', () => {
      // GIVEN no failing lookups; 1 of 20 failing
      // WHEN evaluated at 25m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('ThanosQueryEndpointDnsFailures', series(0), minutes(25)),
        quiet('ThanosQueryEndpointDnsFailures', series(1), minutes(25)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosStoreGatewayDown', () => {
    const second = { ...store, instance: 'store-gateway-1.store-gateway-headless.monitoring.svc:10902', pod: 'store-gateway-1' };
    const series = (first: string, other: string) => [
      { series: `up{${sel(store)}}`, values: first },
      { series: `up{${sel(second)}}`, values: other },
    ];

    test('fires when both replicas are down for 5 minutes', () => {
      // GIVEN both store gateway targets down
      // WHEN evaluated at 10m
      // THEN the alert fires (critical) for the job
      expectRulesToPass(prometheus, [fires('ThanosStoreGatewayDown', series('0x20', '0x20'), minutes(10),
        { job: store.job, severity: 'critical' },
        {
          summary: 'No Thanos store gateway is up.',
          description: 'Every target of thanos-store-store-gateway is down: queries miss the data that is only in the bucket.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet while one replica is up, and over a short outage of both', () => {
      // GIVEN one of two up; both down for 3 minutes
      // WHEN evaluated at 10m
      // THEN not firing (TargetDown reports the replica down)
      expectRulesToPass(prometheus, [
        quiet('ThanosStoreGatewayDown', series('1x20', '0x20'), minutes(10)),
        quiet('ThanosStoreGatewayDown', series('1x5 0x3 1x12', '1x5 0x3 1x12'), minutes(10)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosStoreGrpcErrors', () => {
    /** 100 Series requests a minute, `failing` of them ending with `code`. */
    const series = (failing: number, code = 'Unavailable') => {
      const call = 'grpc_method="Series", grpc_service="thanos.Store", grpc_type="server_stream"';
      return [
        { series: `grpc_server_started_total{${sel(store, call)}}`, values: '0+100x30' },
        { series: `grpc_server_handled_total{${sel(store, `${call}, grpc_code="OK"`)}}`, values: `0+${100 - failing}x30` },
        { series: `grpc_server_handled_total{${sel(store, `${call}, grpc_code="${code}"`)}}`, values: `0+${failing}x30` },
      ];
    };

    test('fires when more than 5% of the Store API requests fail on the server side', () => {
      // GIVEN 10 of 100 requests failing with Unavailable
      // WHEN evaluated at 15m
      // THEN the alert fires for the store gateway pod
      expectRulesToPass(prometheus, [fires('ThanosStoreGrpcErrors', series(10), minutes(15),
        { job: store.job, pod: store.pod, severity: 'warning' },
        {
          summary: 'A Thanos store gateway fails Store API requests.',
          description: 'Store gateway store-gateway-0 fails 10.0% of its Store API requests.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet without errors, at 5% or less, and when clients cancel', () => {
      // GIVEN no errors; 3 of 100 failing; 10 of 100 cancelled by the querier
      // WHEN evaluated at 15m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('ThanosStoreGrpcErrors', series(0), minutes(15)),
        quiet('ThanosStoreGrpcErrors', series(3), minutes(15)),
        quiet('ThanosStoreGrpcErrors', series(10, 'Canceled'), minutes(15)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosStoreSeriesRequestsQueued', () => {
    /** 100 Series requests a minute; `slow` wait 3-6s at the gate, the others less than 0.1s. */
    const series = (slow: number, total = 100) => {
      const bucket = (le: string, perMinute: number) => ({
        series: `thanos_bucket_store_series_gate_duration_seconds_bucket{${sel(store, `le="${le}"`)}}`, values: `0+${perMinute}x30`,
      });
      return [bucket('0.1', total - slow), bucket('1', total - slow), bucket('3', total - slow), bucket('6', total), bucket('+Inf', total)];
    };

    test('fires when the 99th percentile wait for a Series slot exceeds 2s for 10 minutes', () => {
      // GIVEN every request waiting 3-6s
      // WHEN evaluated at 20m
      // THEN the alert fires with the 99th percentile wait
      expectRulesToPass(prometheus, [fires('ThanosStoreSeriesRequestsQueued', series(100), minutes(20),
        { job: store.job, pod: store.pod, severity: 'warning' },
        {
          summary: 'Series requests queue at a Thanos store gateway.',
          description: 'Series requests to store gateway store-gateway-0 wait up to 5.97s (99th percentile) for a free slot: it is overloaded.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet when requests pass the gate at once, and without requests', () => {
      // GIVEN every request waiting less than 0.1s; no requests at all
      // WHEN evaluated at 20m
      // THEN not firing (no requests: the quantile is NaN)
      expectRulesToPass(prometheus, [
        quiet('ThanosStoreSeriesRequestsQueued', series(0), minutes(20)),
        quiet('ThanosStoreSeriesRequestsQueued', series(0, 0), minutes(20)),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosStoreBlockLoadsFailing', () => {
    const interval = minutes(5);
    const series = (values: string) => [{ series: `thanos_bucket_store_block_load_failures_total{${sel(store)}}`, values }];
    /** A block failing to load at every sync, every 15 minutes, for 2.5 hours. */
    const everySync = Array.from({ length: 30 }, (_, i) => Math.floor(i / 3)).join(' ');

    test('fires when a block fails to load at every sync for an hour', () => {
      // GIVEN a failure every 15 minutes
      // WHEN evaluated at 1h45m
      // THEN the alert fires for the store gateway pod
      expectRulesToPass(prometheus, [fires('ThanosStoreBlockLoadsFailing', series(everySync), minutes(105),
        { ...store, severity: 'warning' },
        {
          summary: 'A Thanos store gateway fails to load blocks.',
          description: 'Store gateway store-gateway-0 keeps failing to load blocks from the bucket: their data is missing from queries.',
        }, interval)]);
    }, TIMEOUT_MS);

    test('stays quiet without failures, and after a single failure', () => {
      // GIVEN no failures; one failure at 15m, the next sync loading the block
      // WHEN evaluated at 1h45m
      // THEN not firing
      expectRulesToPass(prometheus, [
        quiet('ThanosStoreBlockLoadsFailing', series('0x30'), minutes(105), interval),
        quiet('ThanosStoreBlockLoadsFailing', series('0 0 0 1x27'), minutes(105), interval),
      ]);
    }, TIMEOUT_MS);
  });

  describe('ThanosCompactHalted', () => {
    const series = (values: string) => [{ series: `thanos_compact_halted{${sel(compactor)}}`, values }];

    test('fires when the compactor has halted for 5 minutes', () => {
      // GIVEN a halted compactor
      // WHEN evaluated at 10m
      // THEN the alert fires for its pod
      expectRulesToPass(prometheus, [fires('ThanosCompactHalted', series('1x20'), minutes(10),
        { ...compactor, severity: 'warning' },
        {
          summary: 'A Thanos compactor has halted.',
          description: 'Compactor compactor-0 stopped on an error it cannot retry: nothing is compacted, downsampled or deleted after retention until it is fixed and restarted.',
        })]);
    }, TIMEOUT_MS);

    test('stays quiet while the compactor runs', () => {
      // GIVEN halted = 0
      // WHEN evaluated at 10m
      // THEN not firing
      expectRulesToPass(prometheus, [quiet('ThanosCompactHalted', series('0x20'), minutes(10))]);
    }, TIMEOUT_MS);
  });

  describe('ThanosCompactNotCompacting', () => {
    // Day-long series: only the compactor group is evaluated (at promtool's 1m interval), or each test takes seconds.
    const groups = () => prometheus.ruleGroups.filter(g => g.name === 'stack-thanos-compact');
    // Samples at most 5m apart: a sparser instant selector drops out of the lookback and resets `for`.
    const interval = minutes(5);
    /** 26 hours of the run counter and the halted gauge, one sample every 5 minutes. */
    const series = (iterations: string, halted = '0x312') => [
      { series: `thanos_compact_iterations_total{${sel(compactor)}}`, values: iterations },
      { series: `thanos_compact_halted{${sel(compactor)}}`, values: halted },
    ];

    test('fires when no run completed in 24 hours', () => {
      // GIVEN runs completing for the first hour, then none
      // WHEN evaluated at 26h
      // THEN the alert fires for the compactor pod
      expectRulesToPass(groups(), [fires('ThanosCompactNotCompacting', series('0+1x12 12x300'), hours(26),
        { ...compactor, severity: 'warning' },
        {
          summary: 'A Thanos compactor has not completed a run for a day.',
          description: 'Compactor compactor-0 has completed no compaction run in 24h: the bucket grows and long-range queries slow down.',
        }, interval)]);
    }, TIMEOUT_MS);

    test('stays quiet while runs complete, for a compactor scraped for less than a day, and when halted', () => {
      // GIVEN runs completing every 10 minutes; a compactor scraped only for the last 12h, still in its first run;
      //   runs stopping after an hour because the compactor halted
      // WHEN evaluated at 26h
      // THEN not firing (ThanosCompactHalted reports the halted one)
      expectRulesToPass(groups(), [
        quiet('ThanosCompactNotCompacting', series('0+1x312'), hours(26), interval),
        quiet('ThanosCompactNotCompacting', series('_x168 0x144', '_x168 0x144'), hours(26), interval),
        quiet('ThanosCompactNotCompacting', series('0+1x12 12x300', '0x12 1x300'), hours(26), interval),
      ]);
    }, TIMEOUT_MS);
  });
});

describe('Thanos default rule groups', () => {
  const names = (p: Prometheus) => p.ruleGroups.map(g => g.name);
  const expr = (p: Prometheus, alert: string) => p.ruleGroups.flatMap(g => g.rules).find(r => 'alert' in r && r.alert === alert)?.expr;

  test('watch the Thanos components a Prometheus scrapes, selected by their scrape jobs', () => {
    // GIVEN the long-term storage stack / WHEN its Prometheus' default rules are built
    const prometheus = givenStack();
    // THEN a group per component, each selecting the job that scrapes it
    expect(names(prometheus)).toEqual(['stack-prometheus', 'stack-thanos', 'stack-thanos-query', 'stack-thanos-store', 'stack-thanos-compact']);
    expect(expr(prometheus, 'ThanosQueryGrpcClientErrors')).toContain('job=~"thanos-query-querier"');
    expect(expr(prometheus, 'ThanosStoreGatewayDown')).toBe('max by (job) (up{job=~"thanos-store-store-gateway"}) == 0');
    expect(expr(prometheus, 'ThanosCompactHalted')).toBe('thanos_compact_halted{job=~"thanos-compact-compactor"} == 1');
    expect(expr(prometheus, 'ThanosSidecarUploadsFailing')).toBe('increase(thanos_shipper_upload_failures_total{job="thanos-sidecar"}[10m]) > 0');
  });

  test('a standalone Prometheus gets no querier, store gateway or compactor rules', () => {
    // GIVEN a Prometheus alone in its chart / WHEN its default rules are built
    const prometheus = new Prometheus(new Chart(testApp(), 'test', { namespace: 'monitoring' }), 'prometheus');
    // THEN only its own and its sidecar's
    expect(names(prometheus)).toEqual(['stack-prometheus', 'stack-thanos']);
  });

  test('each component is watched once: by its own stack\'s Prometheus, or by the one asked to scrape it', () => {
    // GIVEN a central stack, and a team Prometheus in another namespace
    const app = testApp();
    const central = givenStack(new Chart(app, 'central', { namespace: 'central' }));
    const team = new Prometheus(new Chart(app, 'team-a', { namespace: 'team-a' }), 'prometheus');
    // WHEN nobody asks / THEN only the central Prometheus watches the central components
    expect(names(team)).toEqual(['stack-prometheus', 'stack-thanos']);
    expect(names(central)).toContain('stack-thanos-store');
    // WHEN the team's Prometheus is asked to scrape the central querier
    team.scrape(central.node.scope!.node.findChild('querier') as ThanosQuerier);
    // THEN it watches it under its cross-namespace job, and still not the store gateway or compactor
    expect(names(team)).toEqual(['stack-prometheus', 'stack-thanos', 'stack-thanos-query']);
    expect(expr(team, 'ThanosQueryStoreEndpointsMissing')).toContain('job=~"thanos-query-querier-central"');
  });
});
