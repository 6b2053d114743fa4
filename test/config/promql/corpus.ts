// PromQL expressions with the verdict of the real `promtool check rules`
// (Prometheus 3.5.3) on a rule of each: what promql-corpus.tools.test.ts
// holds the synth-time check to. One expression a line (`//` lines are
// comments); the few with backticks, newlines or odd characters are listed
// as plain strings.

/** One expression, and whether Prometheus 3.5 loads a rule with it. */
export interface CorpusEntry {
  readonly section: string;
  readonly expr: string;
  readonly valid: boolean;
}

/** An expression promtool accepts as a rule, that the library refuses on purpose, and why. */
export interface StricterRefusal {
  readonly expr: string;
  readonly reason: string;
}

function lines(text: string): string[] {
  return text.split('\n').filter(l => l.trim() !== '' && !l.startsWith('//'));
}

const VALID: Record<string, string[]> = {
  'everyday queries': lines(String.raw`
up
up == 0
up{job="prometheus"}
up{job="prometheus", instance=~"prometheus-.*"}
up{job!~"kube-.*"}
up{job=~"a|b|c"}
up{job=~"(?i)API"}
up{job="api",}
count(up == 0) by (job)
sum by (job) (up)
sum without (instance) (up)
sum(up) by (job,)
max by (job, instance) (up)
rate(http_requests_total[5m])
irate(http_requests_total[1m])
increase(http_requests_total[1h])
sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05
histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))
time() - process_start_time_seconds
time() - push_time_seconds > 3600
absent(up{job="api"})
absent_over_time(up{job="api"}[10m])
avg_over_time(node_load1[5m])
max_over_time(rate(x[1m])[1h:5m])
max_over_time(x[1h:])
quantile_over_time(0.95, latency_seconds[10m])
count_over_time(x[1h]) < 10
changes(x[1h]) > 3
resets(counter_total[1h])
deriv(node_filesystem_free_bytes[1h])
predict_linear(node_filesystem_free_bytes[6h], 4 * 3600) < 0
label_replace(up, "host", "$1", "instance", "([^:]+):.*")
label_join(up, "foo", ",", "job", "instance")
label_join(up, "foo", ",")
round(x)
round(x, 0.5)
clamp(x, 0, 1)
clamp_min(x, 0)
hour()
day_of_week(x)
vector(1)
scalar(sum(up)) * 2
sort_desc(up)
pi()
histogram_count(rate(x[5m]))
histogram_fraction(0, 0.2, rate(x[5m]))
histogram_avg(rate(x[5m]))
histogram_stddev(rate(x[5m]))
topk(3, x)
quantile(0.9, x)
count_values("version", build_info)
group by (job) (up)
1 > bool 0
x > bool 1
x and on (pod) y
x unless ignoring (instance) y
x * on (instance) group_left (node) node_info
x * on (instance) group_right y
x + on () group_left y
x offset 5m
x offset -5m
count_over_time(x[5m] offset 1h)
x @ 1700000000
x @ start()
x @ end()
count_over_time(x[5m] @ 1700000000)
x @ 1700000000 offset 5m
rate(x[5m] offset 1w)
rate(x[5m:30s])
deriv(sum(x)[30m:1m])
-x
-(x)
- 1
2 ^ 3 ^ 2
x atan2 y
((x))
1
0x1F
1e3
.5
-Inf
NaN
5m
1h30m
x > 1h
x{"foo"="bar"}
{"http.requests.total"}
{"http.requests.total", job="api"}
{__name__=~"up|down"}
x # a comment
`),
  'upstream mixin-style rules': lines(String.raw`
sum by (cluster, namespace, pod, container) (irate(container_cpu_usage_seconds_total{job="cadvisor", image!=""}[5m])) * on (cluster, namespace, pod) group_left(node) topk by (cluster, namespace, pod) (1, max by (cluster, namespace, pod, node) (kube_pod_info{node!=""}))
max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff", job="kube-state-metrics"}[5m]) >= 1
kube_deployment_spec_replicas{job="kube-state-metrics"} > kube_deployment_status_replicas_available{job="kube-state-metrics"} and (changes(kube_deployment_status_replicas_updated{job="kube-state-metrics"}[10m]) == 0)
kube_job_status_start_time{job="kube-state-metrics"} and on (job_name, namespace) kube_job_status_active > 0 > 43200
(kubelet_volume_stats_available_bytes{job="kubelet"} / kubelet_volume_stats_capacity_bytes{job="kubelet"}) < 0.03 and kubelet_volume_stats_used_bytes{job="kubelet"} > 0 unless on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_access_mode{access_mode="ReadOnlyMany"} == 1
histogram_quantile(0.99, sum by (cluster, le, resource) (rate(apiserver_request_duration_seconds_bucket{job="apiserver",verb=~"LIST|GET",subresource!~"proxy|attach|log|exec|portforward"}[5m]))) > 0
apiserver_client_certificate_expiration_seconds_count{job="apiserver"} > 0 and on (job) histogram_quantile(0.01, sum by (job, le) (rate(apiserver_client_certificate_expiration_seconds_bucket{job="apiserver"}[5m]))) < 604800
(node_filesystem_avail_bytes{job="node",fstype!="",mountpoint!=""} / node_filesystem_size_bytes{job="node",fstype!="",mountpoint!=""} * 100 < 15 and predict_linear(node_filesystem_avail_bytes{job="node",fstype!="",mountpoint!=""}[6h], 4*60*60) < 0 and node_filesystem_readonly{job="node",fstype!="",mountpoint!=""} == 0)
(node_timex_offset_seconds{job="node"} > 0.05 and deriv(node_timex_offset_seconds{job="node"}[5m]) >= 0) or (node_timex_offset_seconds{job="node"} < -0.05 and deriv(node_timex_offset_seconds{job="node"}[5m]) <= 0)
node_md_disks_required{job="node",device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"} - ignoring (state) (node_md_disks{state="active",job="node",device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}) > 0
1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{job="node", mode=~"idle|iowait|steal"}[5m])))
(predict_linear(prometheus_notifications_queue_length{job="prometheus"}[5m], 60 * 30) > min_over_time(prometheus_notifications_queue_capacity{job="prometheus"}[5m]))
increase(prometheus_tsdb_head_samples_appended_total{job="prometheus"}[5m]) <= 0 and (sum without (scrape_job) (prometheus_target_metadata_cache_entries{job="prometheus"}) > 0 or sum without (rule_group) (prometheus_rule_group_rules{job="prometheus"}) > 0)
(prometheus_remote_storage_highest_timestamp_in_seconds{job="prometheus"} - ignoring(remote_name, url) group_right prometheus_remote_storage_queue_highest_sent_timestamp_seconds{job="prometheus"}) > 120
100 * (1 - ((sum without (instance) (prometheus_target_scrape_pool_targets{job="prometheus"}) - sum without (instance) (prometheus_target_scrape_pool_exceeded_target_limit_total{job="prometheus"})) / sum without (instance) (prometheus_target_scrape_pool_targets{job="prometheus"}))) > 0
max_over_time(alertmanager_cluster_members{job="alertmanager"}[5m]) < on (namespace,service) group_left count by (namespace,service) (max_over_time(alertmanager_cluster_members{job="alertmanager"}[5m]))
(rate(alertmanager_notifications_failed_total{job="alertmanager"}[5m]) / ignoring (reason) group_left rate(alertmanager_notifications_total{job="alertmanager"}[5m])) > 0.01
count by (namespace,service) (count_values by (namespace,service) ("config_hash", alertmanager_config_hash{job="alertmanager"})) != 1
(sum by (job, instance) (rate(grpc_server_handled_total{grpc_code=~"Unknown|ResourceExhausted|Internal|Unavailable|DataLoss|DeadlineExceeded", job=~".*thanos-query.*"}[5m])) / sum by (job, instance) (rate(grpc_server_started_total{job=~".*thanos-query.*"}[5m])) * 100 > 5)
time() - max by (job, instance) (thanos_objstore_bucket_last_successful_upload_time{job=~".*thanos-sidecar.*"}) >= 240
(time() - max by (job) (max_over_time(thanos_objstore_bucket_last_successful_upload_time{job=~".*thanos-compact.*"}[24h]))) / 60 / 60 > 24
max without (endpoint) (sum without (instance) (up{job=~".*etcd.*"} == bool 0) or count without (To) (sum without (instance) (rate(etcd_network_peer_sent_failures_total{job=~".*etcd.*"}[120s])) > 0.01)) > 0
sum(up{job=~".*etcd.*"} == bool 1) without (instance) < ((count(up{job=~".*etcd.*"}) without (instance) + 1) / 2)
increase((max without (instance) (etcd_server_leader_changes_seen_total{job=~".*etcd.*"}) or 0*absent(etcd_server_leader_changes_seen_total{job=~".*etcd.*"}))[15m:1m]) >= 4
sum(rate(http_requests_total[5m])) by (service) / ignoring(service) group_left sum(rate(http_requests_total[5m]))
sum_over_time((up == bool 0)[1h:1m]) / 60
avg_over_time((sum(up{job="api"}) / count(up{job="api"}))[30d:5m])
sum(rate(http_requests_total{code=~"5.."}[1h])) / sum(rate(http_requests_total[1h])) > (14.4 * (1 - 0.999)) and sum(rate(http_requests_total{code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > (14.4 * (1 - 0.999))
quantile by (job) (0.95, rate(http_requests_total[5m]))
rate(x[5m]) > 0 unless on (instance) (maintenance_mode == 1)
vector(1) unless on () (count(up) > 0)
sum(up) or vector(0)
(hour() >= 9) and on () (hour() < 17)
`),
  // What the issue measured as false rejects.
  'accepted by Prometheus 3.5 (once refused here)': lines(String.raw`
SUM(up) BY (job)
Sum(up) By (job)
TopK(3, x)
x AND ON (a) y
x * ON (a) GROUP_LEFT (b) y
x > BOOL 1
x OFFSET 5m
x @ START()
offset
offset offset 5m
offset{job="a"}
rate(offset[5m])
sum
sum{job="a"}
sum + 1
rate(sum[5m])
by
without
and
x and and
start + end
irate(x[5m]) == on() group_left 1
x == on() group_left 1
foo:bar
:foo
`),
  'matchers that match the empty string, alongside a selective one': lines(String.raw`
{job!~".*"}
{job!~""}
{job!=""}
{job=~"a+"}
{job=~".*", env="prod"}
{job=~".*", env=~".+"}
{__name__="a", __name__="b"}
`),
  'Prometheus quirks': lines(String.raw`
// Inside [...], a letter after a number is taken for the subquery colon: [5 m] is [5s:].
rate(up[5 m])
rate(x[1h m5m])
rate(x[5m m])
rate(x[ 5m ])
rate(x[5m :1m])
// A plain number in a range is seconds.
rate(x[90])
rate(x[1.5])
rate(x[1e-10])
rate(x[0x10])
rate(x[1y1w1d1h1m1s1ms])
// Two signs make a positive duration; a literal offset ends before the operator.
x offset --5m
rate(x[--5m])
rate(x[+5m])
x offset 5m + 1
x offset 5m * 2
x offset 0
x offset 0 offset 5m
rate(x offset 0s [5m])
x offset NaN
x offset 9223372036
x @ 1e18
x @ 5m
x @ -5
x @ +5
count_over_time(x @ start() [5m])
count_over_time(x @ 5 [5m:])
count_over_time(x offset 5m [5m:])
max_over_time((x + y)[5m:] @ 100)
1_000
1_000.5
0x_1F
017
089
1e-400
5.
0xe
0x1e5
0x7FFFFFFFFFFFFFFF
99999999999999999999
-(1 > bool 2)
x--1
foo-bar
x+-+-1
x != bool y
x * on(a) group_left (b) (y)
x + on(a) group_right (b, c,) y
x * ignoring (a) group_left (a) y
sum by (on, bool, offset, sum, group_left) (x)
sum by (a:b) (x)
sum by ("a.b") (x)
sum by ('a') (x)
sum without () (x)
x * on ("a.b") y
{""="x"}
{"a", "b"}
{'a'="b"}
`),
  'regexes RE2 accepts': lines(String.raw`
{job=~"\\d+"}
{job=~"[[:alpha:]]+"}
{job=~"\\p{Greek}+"}
{job=~"\\pL"}
{job=~"(?P<name>a)"}
{job=~"(?<name>a)"}
{job=~"(?i:a)b"}
{job=~"(?U)a+"}
{job=~"a{1000}"}
{job=~"x{,5}"}
{job=~"\\x{41}"}
{job=~"\\Qa.b\\E"}
{job=~"[]a]"}
{a=~"\xff"}
{a=~"a\xffb|c"}
`),
  'strings and escapes': lines(String.raw`
label_replace(up, "a", "b", "c", "d")
{job="\u00e9"}
{job="\U0010FFFF"}
{job="\377"}
{job="a\tb"}
{job="\a\b\f\n\r\t\v\\"}
{job="\000"}
{job='it\'s'}
{job="say \"hi\""}
{a="é"}
{"é"="x"}
`),
  'functions of Prometheus 3.5': lines(String.raw`
last_over_time(x[1h])
present_over_time(x[1h])
sgn(x)
acosh(x)
day_of_year()
histogram_sum(rate(x[5m]))
histogram_stdvar(rate(x[5m]))
stdvar_over_time(x[1h])
idelta(x[5m])
timestamp(up)
`),
};

const INVALID: Record<string, string[]> = {
  'selectors whose matchers all match the empty string': lines(String.raw`
{job=~".*"}
{}
{job=""}
{job=~""}
{job=~"a*"}
{job=~"(a|)"}
{job=~"a|"}
{__name__=""}
{job=~"^$"}
{job=~"\\z"}
`),
  'zero, negative and huge ranges and steps': lines(String.raw`
increase(x[0s])
rate(x[0])
rate(x[-5m])
rate(x[5m:0s])
x[0s:]
x[5m:-1m]
rate(x[300y])
rate(x[1e10])
rate(x[9999999999s])
x offset 300y
x offset Inf
x offset 9223372037
rate(x[5m * 2])
rate(x[5m + 1m])
rate(x[(5m)])
rate(x[5m:1m+1m])
x offset (5m)
x offset --5m + 1
`),
  'offset and @ on what is not a selector or subquery': lines(String.raw`
sum(up) offset 5m
(x) offset 5m
1 offset 5m
rate(x[5m]) offset 5m
sum(x) @ 5
(x + y) @ 100
x offset 5m [5m]
x @ 5 [5m]
(x)[5m]
sum(x)[5m]
`),
  'a modifier given twice, @ out of range': lines(String.raw`
x offset 5m offset 1m
x[5m] offset 5m offset 1m
x @ 5 @ 6
x @ start() @ end()
x[5m] @ start() @ 100
x @ 1e19
x @ -1e19
x @ NaN
x @ Inf
`),
  'regexes RE2 refuses': lines(String.raw`
{job=~"[a-z"}
{job=~"(?=a)"}
{job=~"(?!a)"}
{job=~"(?<=a)b"}
{job=~"(a)\\1"}
{job=~"a{2,1}"}
{job=~"a{1001}"}
{job=~"(a{100}){100}"}
{job=~"*a"}
{job=~"a**"}
{job=~"a|*"}
{job=~"a)"}
{job=~"(a"}
{job=~"\\"}
{job=~"\\y"}
{job=~"\\8"}
{job=~"\\Z"}
{job=~"\\C"}
{job=~"[\\b]"}
{job=~"[a-\\d]"}
{job=~"[[:foo:]]"}
{job=~"\\p{Foo}"}
{job=~"\\p{greek}"}
{job=~"(?x)a"}
{job!~"[a-z"}
{a=~"\xff.*"}
`),
  'bool, set operators and vector matching': lines(String.raw`
x + bool y
x and bool y
1 + bool 2
x and on (a) group_left y
x or on (a) group_right y
x unless ignoring (a) group_left (b) y
x * on (a) group_left (a) y
x * on (a, b) group_left (b) y
x and 1
1 or x
1 > 2
x == on(a) 1
1 + on(a) 2
x * on(a) group_left(b)
x * group_left y
x * on y
`),
  'metric name given twice, bad grouping labels': lines(String.raw`
foo{__name__="bar"}
foo{"bar"}
foo{__name__=~"b.*"}
sum by ("") (x)
x * on ("") y
sum by ("\xff") (x)
sum by (without) (x)
sum by (inf) (x)
sum by (5) (x)
`),
  'unknown string escapes and unterminated strings': lines(String.raw`
"\q"
{job="\q"}
{job="a\'b"}
{job='a\"b'}
{job="\x4"}
{job="\ud800"}
{job="\U00110000"}
{job="\400"}
"unterminated
{job="a
"\u12"
{job="\0"}
`),
  'functions: unknown, not in 3.5, experimental, misused': lines(String.raw`
foo_over_time(x[5m])
first_over_time(x[5m])
ts_of_first_over_time(x[5m])
holt_winters(x[5m], 0.5, 0.5)
double_exponential_smoothing(x[5m], 0.5, 0.5)
mad_over_time(x[5m])
sort_by_label(up, "job")
ts_of_max_over_time(x[5m])
info(up)
limitk(2, x)
limit_ratio(0.5, x)
histogram_quantiles(x, "q", 0.5, 0.9)
RATE(x[5m])
rate()
rate(x)
rate(x[5m], y[5m])
time(1)
vector("a")
scalar(x[5m])
label_replace(up, "a", "b", "c")
label_join(up, "a")
round(x, 1, 2)
quantile_over_time(x[5m], 0.9)
absent(x[5m])
rate(x[5m],)
sum()
topk(x)
topk(x, y)
sum(x, y)
count_values(1, x)
sum(x[5m]) > 0
abs(x[5m])
`),
  'types': lines(String.raw`
x[5m] > 1
x[5m] + 1
-x[5m]
-"a"
"a" + "b"
x + "a"
x[5m][1h:]
x[5m:][5m]
x[5m:][5m:]
1[5m:]
`),
  'syntax errors': lines(String.raw`
# only a comment
()
(x
x)
x[5m
{a="b"
{a}
{a=b}
{a:b="c"}
{a=="b"}
x y
x +
* x
x ** y
x = y
x =~ "a"
sum (x) by (a) by (b)
sum by a (x)
sum x
sum by (,) (x)
atan2
bool
group_left
foo:bar(x)
foo.bar
rate(x[5m::])
rate(x[:5m])
rate(x[5mfoo])
rate(x[5M])
rate(x[5m1h])
rate(x[1.5m])
rate(x[5ss])
rate(x[1w1y])
x @ start
x @ -- 5
1e400
1__000
1_
0x
0xFFFFFFFFFFFFFFFF
1.2.3
é
x + é
`),
};

/** Expressions with characters the line lists above cannot hold, and their promtool verdict. */
const SPECIAL: { section: string; expr: string; valid: boolean }[] = [
  { section: 'strings and escapes', expr: '{job=`raw`}', valid: true },
  { section: 'strings and escapes', expr: '{a=~`b`}', valid: true },
  { section: 'strings and escapes', expr: 'min without (alertmanager) (rate(prometheus_notifications_errors_total{job="prometheus",alertmanager!~``}[5m]))', valid: true },
  { section: 'strings and escapes', expr: '{job=`multi\nline`}', valid: true },
  { section: 'strings and escapes', expr: '{job="\\uFFFD"}', valid: true },
  { section: 'strings and escapes', expr: '{job="\uFFFD"}', valid: false },
  { section: 'strings and escapes', expr: '{job="multi\nline"}', valid: false },
  { section: 'strings and escapes', expr: '"tab\\\tinside"', valid: false },
  { section: 'strings and escapes', expr: '`abc', valid: false },
  { section: 'comments and whitespace', expr: 'x\n# comment\n* 2', valid: true },
  { section: 'comments and whitespace', expr: 'x{a="b" # comment\n}', valid: true },
  { section: 'comments and whitespace', expr: 'rate(x[5m # comment\n])', valid: true },
  { section: 'comments and whitespace', expr: 'x\r\n+\ty', valid: true },
  { section: 'comments and whitespace', expr: 'rate(x[ # comment\n5m])', valid: false },
  { section: 'comments and whitespace', expr: 'x\u00a0+ y', valid: false },
  { section: 'comments and whitespace', expr: 'x\f+ y', valid: false },
  { section: 'comments and whitespace', expr: '', valid: false },
  { section: 'comments and whitespace', expr: '  ', valid: false },
];

/**
 * What the library refuses although promtool accepts the rule: a rule whose
 * result is a string or a range vector loads, but fails at every evaluation.
 */
export const STRICTER_REFUSALS: StricterRefusal[] = [
  { expr: '"text"', reason: 'a string result: every evaluation fails (a rule must produce a vector or a scalar)' },
  { expr: "'single'", reason: 'a string result: every evaluation fails' },
  { expr: 'x[5m]', reason: 'a range-vector result: every evaluation fails' },
  { expr: 'rate(x[5m])[10m:1m]', reason: 'a subquery result (a range vector): every evaluation fails' },
  { expr: 'x[5 m]', reason: 'read by Prometheus as the subquery x[5s:], a range vector: every evaluation fails' },
  { expr: 'x @ start() [5m]', reason: 'a range-vector result: every evaluation fails' },
];

export const CORPUS: CorpusEntry[] = [
  ...Object.entries(VALID).flatMap(([section, exprs]) => exprs.map(expr => ({ section, expr, valid: true }))),
  ...Object.entries(INVALID).flatMap(([section, exprs]) => exprs.map(expr => ({ section, expr, valid: false }))),
  ...SPECIAL,
  ...STRICTER_REFUSALS.map(({ expr }) => ({ section: 'deliberate stricter refusals', expr, valid: true })),
];
