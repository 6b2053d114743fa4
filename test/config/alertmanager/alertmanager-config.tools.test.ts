// The rendered alertmanager.yml checked by the real `amtool check-config`
// (install it: `npm run tools`): the every-option fixture, one config per
// receiver type, the default, and many generated configurations.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Alertmanager, AlertmanagerConfig, AlertmanagerGlobalConfig, AlertMatcher, InhibitRule, Month, NotifierHttpConfig, OpsGeniePriority, OpsGenieResponderType, Receiver, Receivers, Route, TelegramParseMode, TimeInterval, TimePeriod, ValidationError,
  WeChatMessageType, Weekday,
} from '../../../lib';
import { NULL_ALERTMANAGER_CONFIG } from '../../../lib/config/alertmanager/alertmanager-config';
import { everyOptionConfig, POD_SECRET_DIR, receiversOfEachType, secret, SECRET_FILES, singleReceiverConfig } from '../../support/alertmanager-config-fixture';
import { tempDir } from '../../support/daemon';
import { givenChart } from '../../support/synth';
import { runTool, tool } from '../../support/tools';

const TIMEOUT_MS = 10_000;

/**
 * A temp dir holding a dummy file for every secret the configs reference: what
 * the mounted Secret gives the pod. amtool 0.33 does not open them, but a
 * later one that does must find them.
 */
function givenSecretDir(): string {
  const dir = tempDir('alertmanager-secrets');
  for (const name of SECRET_FILES) writeFileSync(join(dir, name), `dummy ${name}\n`);
  return dir;
}

/** The rendered config, its secret files pointed from the pod's mount of the notifier Secret to {@link secretDir}. */
function renderConfig(config: AlertmanagerConfig): string {
  const { chart } = givenChart();
  return new Alertmanager(chart, 'am', { config }).renderConfig().split(`${POD_SECRET_DIR}/`).join(`${secretDir}/`);
}

/** Writes `yaml` to a file and runs `amtool check-config` on it. */
function checkConfig(dir: string, name: string, yaml: string) {
  const file = join(dir, `${name}.yml`);
  writeFileSync(file, yaml);
  const result = runTool('amtool', ['check-config', file], { timeoutMs: TIMEOUT_MS });
  return { ...result, ok: result.code === 0 && result.stdout.includes('SUCCESS') && !result.stdout.includes('FAILED') };
}

const secretDir = givenSecretDir();
const configDir = tempDir('alertmanager-configs');

describe('alertmanager.yml with the real amtool', () => {
  beforeAll(() => {
    tool('amtool'); // fails loudly, with the install hint, when amtool is missing
  });

  test('amtool check-config rejects a config with an unknown field (the check is strict)', () => {
    // GIVEN a rendered config with one field misspelt
    const yaml = renderConfig(everyOptionConfig()).replace('smtp_hello:', 'smtp_helo:');
    // WHEN
    const result = checkConfig(configDir, 'misspelt', yaml);
    // THEN
    expect(result.ok).toBe(false);
    expect(result.stdout).toContain('field smtp_helo not found');
  });

  const cases: Array<[string, () => AlertmanagerConfig]> = [
    ['the config using every option', () => everyOptionConfig()],
    ['the default (null) config', () => NULL_ALERTMANAGER_CONFIG],
    ...Object.entries(receiversOfEachType()).map(([type]): [string, () => AlertmanagerConfig] =>
      [`a config with only the ${type} receiver`, () => singleReceiverConfig(receiversOfEachType()[type])]),
  ];

  test.each(cases)('amtool check-config accepts %s', (name, config) => {
    // GIVEN
    const yaml = renderConfig(config());
    // WHEN
    const result = checkConfig(configDir, name.replace(/\W+/g, '-'), yaml);
    // THEN
    expect({ ok: result.ok, output: result.stdout + result.stderr }).toEqual({ ok: true, output: expect.any(String) });
  });

  test('amtool check-config accepts every generated configuration', () => {
    // GIVEN random route trees over random receivers of every type, matchers, groupings, intervals, time intervals and inhibit rules
    let runs = 0;
    // WHEN each is rendered and checked
    fc.assert(fc.property(configArb(), config => {
      const yaml = renderConfig(config);
      const result = checkConfig(configDir, `generated-${runs++ % 20}`, yaml);
      // THEN amtool accepts it (on failure fast-check shrinks the config and prints it)
      if (!result.ok) throw new Error(`amtool rejected:\n${result.stdout}${result.stderr}\n${yaml}`);
    }), { numRuns: 100, interruptAfterTimeLimit: 12_000 });
    expect(runs).toBeGreaterThanOrEqual(20);
  });
});

describe('generated broken configurations', () => {
  test('always fail, naming the construct path and the broken field', () => {
    // GIVEN a valid generated config with one mistake planted: an unknown receiver or time
    // interval on a random route node, or a receiver name repeated
    fc.assert(fc.property(brokenConfigArb(), ({ config, field, problem }) => {
      // WHEN it is rendered
      let error: unknown;
      try {
        renderConfig(config);
      } catch (e) {
        error = e;
      }
      // THEN it throws a ValidationError for exactly that field
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(new RegExp(`^test/am: invalid '${escapeRegex(field)}': .*${problem}`));
    }), { numRuns: 200 });
  });
});

// ---------------------------------------------------------------------------
// Generators. Every one produces only valid values, so that a generated config
// the library accepts but amtool rejects is a bug in the library.

const LABELS = ['alertname', 'severity', 'team', 'namespace', 'cluster', 'service', 'job', 'instance', '_private'];
const CHARS = [...'abcXYZ019 -_.:/,{}=~!@#%&*()[]|?+^$', '"', '\\', '\n', 'é', '中', '🔥'];
const REGEXES = ['.*', 'db|storage', 'kube-.*', '(?i)prod', '[a-z]+', 'node-[0-9]{1,3}', 'a\\.b', '(?P<x>foo)bar', '\\d+', '', '(?s:.+)'];

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const label = fc.constantFrom(...LABELS);
const text = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 });
const template = fc.constantFrom('{{ .CommonLabels.alertname }}', 'plain text', '{{ template "__subject" . }}', 'ünïcödé "quoted" \\ back');
const regex = fc.oneof(fc.constantFrom(...REGEXES), text.map(escapeRegex));

const matcher: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(label, text).map(([l, v]) => AlertMatcher.eq(l, v)),
  fc.tuple(label, text).map(([l, v]) => AlertMatcher.notEq(l, v)),
  fc.tuple(label, regex).map(([l, r]) => AlertMatcher.regex(l, r)),
  fc.tuple(label, regex).map(([l, r]) => AlertMatcher.notRegex(l, r)),
  // Hand-written, with the spacing people use.
  fc.tuple(label, fc.constantFrom('=', '!=', '=~', '!~'), fc.stringMatching(/^[a-z0-9-]{0,8}$/)).map(([l, op, v]) => `${l} ${op} "${v}"`),
);
const groupBy: fc.Arbitrary<string[]> = fc.oneof(fc.constant<string[]>(['...']), fc.uniqueArray(label, { maxLength: 4 }));
const groupWait = fc.constantFrom(Duration.seconds(0), Duration.millis(1500), Duration.seconds(30), Duration.minutes(2));
// Every group interval <= every repeat interval, so any inheritance stays valid.
const groupInterval = fc.constantFrom(Duration.minutes(1), Duration.minutes(5), Duration.minutes(10));
const repeatInterval = fc.constantFrom(Duration.minutes(10), Duration.hours(1), Duration.hours(4), Duration.days(3));
const timeout = fc.constantFrom(Duration.seconds(5), Duration.millis(2500), Duration.minutes(1));

/** An HTTP client; `withAuth: false` for those a Slack app token must not meet. */
function httpConfigArb(withAuth = true): fc.Arbitrary<NotifierHttpConfig> {
  return fc.record({
    auth: withAuth ? fc.constantFrom('none', 'basic', 'bearer', 'oauth2') : fc.constant('none'),
    tls: fc.boolean(),
    followRedirects: opt(fc.boolean()),
    enableHttp2: opt(fc.boolean()),
    proxy: fc.constantFrom('none', 'url', 'env'),
  }).map(({ auth, tls, followRedirects, enableHttp2, proxy }) => ({
    basicAuth: auth === 'basic' ? { username: 'am', passwordFile: secret('basic-password') } : undefined,
    authorization: auth === 'bearer' ? { credentialsFile: secret('bearer-token') } : undefined,
    oauth2: auth === 'oauth2' ? { clientId: 'am', clientSecretFile: secret('oauth-secret'), tokenUrl: 'https://auth.example.com/token' } : undefined,
    tlsConfig: tls ? { caFile: secret('ca.crt'), certFile: secret('client.crt'), keyFile: secret('client.key') } : undefined,
    followRedirects,
    enableHttp2,
    proxyUrl: proxy === 'url' ? 'http://proxy.example.com:3128' : undefined,
    noProxy: proxy === 'url' ? '.svc,10.0.0.0/8' : undefined,
    proxyFromEnvironment: proxy === 'env' ? true : undefined,
  }));
}

type ConfigEntry = { [K in keyof Receiver]-?: NonNullable<Receiver[K]> extends Array<infer C> ? [K, C] : never }[Exclude<keyof Receiver, 'name'>];

/** One notifier config of a random type, with random optional fields; secrets as files of the notifier Secret. */
function notifierArb(): fc.Arbitrary<ConfigEntry> {
  const http = opt(httpConfigArb());
  const sendResolved = opt(fc.boolean());
  return fc.oneof(
    fc.record({ to: fc.constant('oncall@example.com'), from: opt(fc.constant('am@example.com')), smarthost: fc.constantFrom('smtp.example.com:587', '[::1]:25', '10.0.0.1:465'),
      authUsername: opt(fc.constant('am')), authPasswordFile: opt(fc.constant(secret('smtp-password'))), headers: opt(fc.dictionary(fc.constantFrom('Subject', 'X-Team', 'Reply-To'), template)),
      html: opt(template), text: opt(template), requireTls: opt(fc.boolean()), forceImplicitTls: opt(fc.boolean()), sendResolved })
      .map((c): ConfigEntry => ['emailConfigs', { ...c, from: c.from ?? 'am@example.com' }]),
    fc.record({ file: fc.boolean(), maxAlerts: opt(fc.nat(100)), timeout: opt(timeout), httpConfig: http, sendResolved })
      .map(({ file, ...c }): ConfigEntry => ['webhookConfigs', { ...c, ...(file ? { urlFile: secret('webhook-url') } : { url: 'http://receiver.monitoring.svc:8080/hook/{{ .GroupLabels.alertname }}' }) }]),
    fc.record({ app: fc.boolean(), httpConfig: opt(httpConfigArb(false)), channel: opt(fc.constantFrom('#alerts', '@oncall')), title: opt(template), text: opt(template), color: opt(template),
      fields: opt(fc.array(fc.record({ title: fc.constant('Severity'), value: template, short: opt(fc.boolean()) }), { maxLength: 2 })),
      shortFields: opt(fc.boolean()), linkNames: opt(fc.boolean()), mrkdwnIn: opt(fc.subarray(['text', 'pretext', 'fields'])), timeout: opt(timeout), sendResolved })
      .map(({ app, ...c }): ConfigEntry => ['slackConfigs', { ...c, ...(app ? { appTokenFile: secret('slack-token') } : { apiUrlFile: secret('slack-url') }) }]),
    fc.record({ routing: fc.boolean(), severity: opt(fc.constantFrom('critical', 'warning', '{{ .CommonLabels.severity }}')), details: opt(fc.dictionary(label, template)),
      links: opt(fc.array(fc.record({ href: fc.constant('https://runbooks.example.com'), text: opt(template) }), { maxLength: 2 })),
      images: opt(fc.array(fc.record({ src: fc.constant('https://example.com/a.png'), alt: opt(template) }), { maxLength: 1 })),
      component: opt(template), group: opt(template), class: opt(template), timeout: opt(timeout), httpConfig: http, sendResolved })
      .map(({ routing, ...c }): ConfigEntry => ['pagerdutyConfigs', { ...c, ...(routing ? { routingKeyFile: secret('pagerduty-routing-key') } : { serviceKeyFile: secret('pagerduty-service-key') }) }]),
    fc.record({ apiKeyFile: fc.constant(secret('opsgenie-key')), priority: opt(fc.constantFrom(...Object.values(OpsGeniePriority))), tags: opt(template), note: opt(template),
      responders: opt(fc.array(fc.record({ type: fc.constantFrom(...Object.values(OpsGenieResponderType)), key: fc.constantFrom('id', 'name', 'username') })
        .map(({ type, key }) => ({ type, [key]: 'someone' })), { maxLength: 3 })), updateAlerts: opt(fc.boolean()), httpConfig: http, sendResolved })
      .map((c): ConfigEntry => ['opsgenieConfigs', c]),
    fc.record({ apiSecretFile: fc.constant(secret('wechat-secret')), corpId: fc.constant('ww01'), messageType: opt(fc.constantFrom(...Object.values(WeChatMessageType))),
      toUser: opt(fc.constant('@all')), agentId: opt(fc.constant('1000002')), message: opt(template), httpConfig: http, sendResolved })
      .map((c): ConfigEntry => ['wechatConfigs', c]),
    fc.record({ chat: fc.oneof(fc.integer({ min: -2e12, max: 2e12 }).filter(n => n !== 0), fc.constant('file' as const)),
      parseMode: opt(fc.constantFrom(...Object.values(TelegramParseMode))), messageThreadId: opt(fc.integer({ min: 1, max: 1000 })),
      disableNotifications: opt(fc.boolean()), message: opt(template), httpConfig: http, sendResolved })
      .map(({ chat, ...c }): ConfigEntry => ['telegramConfigs', { ...c, botTokenFile: secret('telegram-token'), ...(chat === 'file' ? { chatIdFile: secret('telegram-chat') } : { chatId: chat }) }]),
    fc.record({ title: opt(template), summary: opt(template), text: opt(template), httpConfig: http, sendResolved })
      .map((c): ConfigEntry => ['msteamsConfigs', { ...c, webhookUrlFile: secret('teams-url') }]),
    fc.record({ title: opt(template), text: opt(template), httpConfig: http, sendResolved })
      .map((c): ConfigEntry => ['msteamsV2Configs', { ...c, webhookUrlFile: secret('teams-v2-url') }]),
    fc.record({ profile: fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), maxAlerts: opt(fc.nat(50)) })
      .map(({ profile, maxAlerts }): ConfigEntry => ['webhookConfigs', Receivers.dingTalkBridge('x', `http://dingtalk-bridge:8060/dingtalk/${profile}/send`, { maxAlerts }).webhookConfigs![0]]),
  );
}

function receiversArb(): fc.Arbitrary<Receiver[]> {
  const name = fc.stringMatching(/^[a-z][a-z0-9_. -]{0,15}$/);
  return fc.uniqueArray(fc.tuple(name, fc.array(notifierArb(), { maxLength: 3 })), { minLength: 1, maxLength: 6, selector: ([n]) => n })
    .map(list => list.map(([n, entries]) => {
      const receiver: Record<string, unknown> = { name: n };
      for (const [key, config] of entries) receiver[key] = [...((receiver[key] as unknown[]) ?? []), config];
      return receiver as unknown as Receiver;
    }));
}

const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const WEEKDAYS = Object.values(Weekday);
const MONTHS = Object.values(Month);
/** An ordered pair of indexes into `n` values, as a single value or a range. */
const orderedPair = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);

const periodArb: fc.Arbitrary<TimePeriod> = fc.record({
  times: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 24 * 60 }), { minLength: 2, maxLength: 2 })
    .map(([a, b]) => ({ startTime: hhmm(Math.min(a, b)), endTime: hhmm(Math.max(a, b)) })), { maxLength: 2 }),
  weekdays: fc.array(fc.oneof(fc.constantFrom(...WEEKDAYS), orderedPair(0, 6).map(([a, b]) => ({ from: WEEKDAYS[a], to: WEEKDAYS[b] }))), { maxLength: 2 }),
  daysOfMonth: fc.array(fc.oneof(
    fc.integer({ min: 1, max: 31 }),
    orderedPair(1, 31).map(([a, b]) => ({ from: a, to: b })),
    orderedPair(-31, -1).map(([a, b]) => ({ from: a, to: b })),
  ), { maxLength: 2 }),
  months: fc.array(fc.oneof(fc.constantFrom(...MONTHS), orderedPair(0, 11).map(([a, b]) => ({ from: MONTHS[a], to: MONTHS[b] }))), { maxLength: 2 }),
  years: fc.array(orderedPair(2020, 2040).map(([a, b]) => ({ from: a, to: b })), { maxLength: 1 }),
  location: fc.constantFrom('UTC', 'Local', 'Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'Etc/GMT+5'),
}, { requiredKeys: [] });

const timeIntervalsArb: fc.Arbitrary<TimeInterval[]> = fc.uniqueArray(
  fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), timeIntervals: fc.array(periodArb, { minLength: 1, maxLength: 2 }) }),
  { maxLength: 3, selector: t => t.name },
);

function routeArb(receivers: string[], intervals: string[], depth: number): fc.Arbitrary<Route> {
  const names = (list: string[]) => (list.length ? opt(fc.subarray(list, { minLength: 1 })) : fc.constant(undefined));
  return fc.record({
    receiver: opt(fc.constantFrom(...receivers)),
    matchers: opt(fc.array(matcher, { maxLength: 3 })),
    groupBy: opt(groupBy),
    groupWait: opt(groupWait),
    groupInterval: opt(groupInterval),
    repeatInterval: opt(repeatInterval),
    continue: opt(fc.boolean()),
    muteTimeIntervals: names(intervals),
    activeTimeIntervals: names(intervals),
    routes: depth > 0 ? opt(fc.array(routeArb(receivers, intervals, depth - 1), { maxLength: 3 })) : fc.constant(undefined),
  });
}

const globalArb = (): fc.Arbitrary<AlertmanagerGlobalConfig> => fc.record({
  resolveTimeout: timeout,
  smtpFrom: fc.constant('alerts@example.com'),
  smtpSmarthost: fc.constant('smtp.example.com:25'),
  smtpRequireTls: fc.boolean(),
  smtpAuthPasswordFile: fc.constant(secret('smtp-password')),
  slackApiUrlFile: fc.constant(secret('slack-url')),
  opsgenieApiKeyFile: fc.constant(secret('opsgenie-key')),
  wechatApiCorpId: fc.constant('ww02'),
  telegramBotTokenFile: fc.constant(secret('telegram-token')),
  // Without authentication: Slack receivers with an app token inherit it.
  httpConfig: httpConfigArb(false),
}, { requiredKeys: [] });

const inhibitArb: fc.Arbitrary<InhibitRule> = fc.record({
  name: opt(fc.stringMatching(/^[a-z][a-z0-9 -]{0,12}$/)),
  sourceMatchers: fc.array(matcher, { minLength: 1, maxLength: 2 }),
  targetMatchers: fc.array(matcher, { minLength: 1, maxLength: 2 }),
  equal: opt(fc.uniqueArray(label, { maxLength: 3 })),
});

/** A valid configuration: everything the model has, at random. */
function configArb(): fc.Arbitrary<AlertmanagerConfig> {
  return fc.tuple(receiversArb(), timeIntervalsArb).chain(([receivers, timeIntervals]) => {
    const names = receivers.map(r => r.name);
    const intervals = timeIntervals.map(t => t.name);
    return fc.record({
      global: opt(globalArb()),
      root: fc.record({ receiver: fc.constantFrom(...names), groupBy: opt(groupBy), groupWait: opt(groupWait), groupInterval: opt(groupInterval), repeatInterval: opt(repeatInterval) }),
      routes: fc.array(routeArb(names, intervals, 2), { maxLength: 4 }),
      inhibitRules: opt(fc.array(inhibitArb, { maxLength: 3 })),
      templates: opt(fc.constantFrom<string[]>(['/etc/alertmanager/templates/*.tmpl'], ['templates/*.tmpl', '/tmp/none/*.tmpl'])),
    }).map(({ global, root, routes, inhibitRules, templates }) => ({
      global, route: { ...root, routes }, receivers, timeIntervals, inhibitRules, templates,
    }));
  });
}

/** Every route node with its field path, root first. */
function routeNodes(route: Route, field = 'config.route'): Array<{ field: string; path: number[] }> {
  const here = { field, path: [] as number[] };
  return [here, ...(route.routes ?? []).flatMap((r, i) => routeNodes(r, `${field}.routes[${i}]`).map(n => ({ field: n.field, path: [i, ...n.path] })))];
}

function updateRoute(route: Route, path: number[], f: (r: Route) => Route): Route {
  if (!path.length) return f(route);
  const [i, ...rest] = path;
  return { ...route, routes: route.routes!.map((r, j) => (j === i ? updateRoute(r, rest, f) : r)) };
}

/** A valid generated config with one planted mistake, the field it is in, and what the error must say. */
function brokenConfigArb(): fc.Arbitrary<{ config: AlertmanagerConfig; field: string; problem: string }> {
  return fc.tuple(configArb(), fc.nat(), fc.nat(), fc.constantFrom('receiver', 'time interval', 'duplicate')).map(([config, a, b, kind]) => {
    if (kind === 'duplicate') {
      // Insert a copy of receiver a (its name and a different body) after it, at position b.
      const original = config.receivers[a % config.receivers.length];
      const at = a % config.receivers.length + 1 + b % config.receivers.length;
      const receivers = [...config.receivers];
      receivers.splice(Math.min(at, receivers.length), 0, { name: original.name });
      const index = Math.min(at, config.receivers.length);
      return { config: { ...config, receivers }, field: `config.receivers[${index}].name`, problem: `duplicate receiver name '${escapeRegex(original.name)}'` };
    }
    const nodes = routeNodes(config.route);
    if (kind === 'receiver') {
      const node = nodes[a % nodes.length];
      return {
        config: { ...config, route: updateRoute(config.route, node.path, r => ({ ...r, receiver: 'no-such-receiver' })) },
        field: `${node.field}.receiver`,
        problem: "unknown receiver 'no-such-receiver'",
      };
    }
    // Time intervals are not allowed on the root at all: plant the unknown one on a child.
    const children = nodes.slice(1);
    if (!children.length) {
      return {
        config: { ...config, route: { ...config.route, routes: [{ muteTimeIntervals: ['no-such-interval'] }] } },
        field: 'config.route.routes[0].muteTimeIntervals[0]',
        problem: "unknown time interval 'no-such-interval'",
      };
    }
    const node = children[a % children.length];
    const key = b % 2 ? 'muteTimeIntervals' : 'activeTimeIntervals';
    return {
      config: { ...config, route: updateRoute(config.route, node.path, r => ({ ...r, [key]: [...(r[key] ?? []), 'no-such-interval'] })) },
      field: `${node.field}.${key}[${nodeAt(config.route, node.path)[key]?.length ?? 0}]`,
      problem: "unknown time interval 'no-such-interval'",
    };
  });
}

function nodeAt(route: Route, path: number[]): Route {
  return path.reduce((r, i) => r.routes![i], route);
}
