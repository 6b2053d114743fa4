// The typed Alertmanager configuration: what it renders, and every mistake it
// rejects at synth time with the construct path and the field at fault.
import { Duration } from 'cdk8s';
import { parse } from 'yaml';
import {
  Alertmanager, AlertmanagerConfig, AlertMatcher, Month, OpsGeniePriority, OpsGenieResponderType,
  Receiver, Receivers, Route, SecretFile, TelegramParseMode, TimePeriod, ValidationError, WeChatMessageType, Weekday,
} from '../../../lib';
import { NULL_ALERTMANAGER_CONFIG } from '../../../lib/config/alertmanager/alertmanager-config';
import { everyOptionConfig, POD_SECRET_DIR, receiversOfEachType, secret } from '../../support/alertmanager-config-fixture';
import { givenChart } from '../../support/synth';

/** Renders `config` through a real Alertmanager construct at path `test/am`, with the notifier Secret mounted. */
function render(config: AlertmanagerConfig): any {
  const { chart } = givenChart();
  return parse(new Alertmanager(chart, 'am', { config }).renderConfig());
}

/** The ValidationError rendering `config` throws; fails the test when it throws none or another error. */
function renderError(config: AlertmanagerConfig): ValidationError {
  try {
    render(config);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError, but the config rendered');
}

const base = (over: Partial<AlertmanagerConfig> = {}): AlertmanagerConfig => ({
  route: { receiver: 'null' },
  receivers: [{ name: 'null' }],
  ...over,
});
/** A config whose root route has `child` as its only child. */
const withRoute = (child: Route, over: Partial<AlertmanagerConfig> = {}): AlertmanagerConfig =>
  base({ route: { receiver: 'null', routes: [child] }, ...over });
/** A config with a second receiver, `config.receivers[1]`, named 'r'. */
const withReceiver = (r: Omit<Receiver, 'name'>, over: Partial<AlertmanagerConfig> = {}): AlertmanagerConfig =>
  base({ receivers: [{ name: 'null' }, { name: 'r', ...r }], ...over });
/** A config with one time interval 'ti' of one period, referenced by a child route. */
const withPeriod = (period: TimePeriod): AlertmanagerConfig =>
  withRoute({ matchers: ['a="b"'], muteTimeIntervals: ['ti'] }, { timeIntervals: [{ name: 'ti', timeIntervals: [period] }] });
const cast = <T>(v: unknown): T => v as T;

/** Alertmanager's fields that hold a secret inline; each has a `_file` twin (Slack's `api_url` too). */
const INLINE_SECRET_KEYS = [
  'password', 'credentials', 'client_secret', 'auth_password', 'auth_secret', 'routing_key', 'service_key', 'api_key', 'api_secret',
  'bot_token', 'app_token', 'webhook_url', 'smtp_auth_password', 'smtp_auth_secret', 'slack_api_url', 'slack_app_token',
  'opsgenie_api_key', 'wechat_api_secret', 'telegram_bot_token',
];

/** Every [key, value] pair anywhere in a rendered object. */
function allFields(value: unknown): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.flatMap(allFields);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [[k, v] as [string, unknown], ...allFields(v)]);
  return [];
}

describe('Alertmanager configuration', () => {
  test('a config using every option renders the recorded alertmanager.yml', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const am = new Alertmanager(chart, 'am', { config: everyOptionConfig() });
    // THEN
    expect(am.renderConfig()).toMatchSnapshot();
  });

  test('the default config renders unchanged: a root route to a receiver that drops everything', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN
    const am = new Alertmanager(chart, 'am');
    // THEN
    expect(am.renderConfig()).toBe('route:\n  receiver: "null"\n  group_by:\n    - alertname\n    - namespace\nreceivers:\n  - name: "null"\n');
    expect(render(NULL_ALERTMANAGER_CONFIG)).toEqual(parse(am.renderConfig()));
  });

  test.each(Object.entries(receiversOfEachType()))('the %s receiver renders under its Alertmanager key, secrets only as files', (_, receiver) => {
    // GIVEN
    const keys: Record<string, string> = {
      email: 'email_configs', webhook: 'webhook_configs', slack: 'slack_configs', pagerduty: 'pagerduty_configs',
      opsgenie: 'opsgenie_configs', wechat: 'wechat_configs', telegram: 'telegram_configs', msteams: 'msteams_configs',
      msteamsv2: 'msteamsv2_configs', dingtalk: 'webhook_configs',
    };
    // WHEN
    const rendered = render(base({ receivers: [{ name: 'null' }, receiver] })).receivers[1];
    // THEN
    expect(Object.keys(rendered)).toEqual(['name', keys[receiver.name]]);
    const fields = allFields(rendered);
    expect(fields.filter(([key]) => INLINE_SECRET_KEYS.includes(key) || (receiver.slackConfigs && key === 'api_url'))).toEqual([]);
    for (const [key, value] of fields.filter(([k]) => k.endsWith('_file'))) expect([key, value]).toEqual([key, expect.stringMatching(`^${POD_SECRET_DIR}/`)]);
  });

  test('the config using every option holds no inline secret anywhere', () => {
    // GIVEN
    const config = everyOptionConfig();
    // WHEN
    const fields = allFields(render(config));
    // THEN
    expect(fields.filter(([key]) => INLINE_SECRET_KEYS.includes(key))).toEqual([]);
    expect(fields.filter(([key]) => key.endsWith('_file')).length).toBeGreaterThan(20);
  });

  test('Receivers.dingTalkBridge posts to the DingTalk webhook bridge', () => {
    // GIVEN
    const receiver = Receivers.dingTalkBridge('dingtalk-ops', 'http://dingtalk-bridge.monitoring:8060/dingtalk/ops/send', { maxAlerts: 5 });
    // WHEN
    const rendered = render(withRoute({ matchers: ['team="ops"'], receiver: 'dingtalk-ops' }, { receivers: [{ name: 'null' }, receiver] }));
    // THEN
    expect(rendered.receivers[1]).toEqual({
      name: 'dingtalk-ops',
      webhook_configs: [{ url: 'http://dingtalk-bridge.monitoring:8060/dingtalk/ops/send', send_resolved: true, max_alerts: 5 }],
    });
    expect(rendered.route.routes[0].receiver).toBe('dingtalk-ops');
  });

  test('AlertMatcher quotes and escapes values, so regexes need no double escaping', () => {
    // GIVEN
    const matchers = [
      AlertMatcher.eq('summary', 'say "hi"\nback\\slash'),
      AlertMatcher.notEq('env', 'dev'),
      AlertMatcher.regex('instance', '.*\\.example\\.com'),
      AlertMatcher.notRegex('namespace', 'kube-.*'),
    ];
    // WHEN
    const rendered = render(withRoute({ matchers, receiver: 'null' }));
    // THEN
    expect(rendered.route.routes[0].matchers).toEqual([
      'summary="say \\"hi\\"\\nback\\\\slash"',
      'env!="dev"',
      'instance=~".*\\\\.example\\\\.com"',
      'namespace!~"kube-.*"',
    ]);
  });

  test('durations render in Alertmanager syntax: days for routes, Go durations for notifier timeouts', () => {
    // GIVEN
    const config = withRoute({ matchers: ['a="b"'], repeatInterval: Duration.days(2), groupInterval: Duration.minutes(90) }, {
      global: { resolveTimeout: Duration.minutes(10) },
      receivers: [{ name: 'null', webhookConfigs: [{ url: 'http://hook:80/', timeout: Duration.days(1) }] }],
    });
    // WHEN
    const rendered = render(config);
    // THEN
    expect(rendered.route.routes[0]).toMatchObject({ repeat_interval: '2d', group_interval: '1h30m' });
    expect(rendered.global.resolve_timeout).toBe('10m');
    expect(rendered.receivers[0].webhook_configs[0].timeout).toBe('24h');
  });

  test('a list shared between routes renders in full each time, not as a YAML alias', () => {
    // GIVEN
    const groupBy = ['alertname', 'cluster'];
    const config = base({ route: { receiver: 'null', groupBy, routes: [{ matchers: ['a="b"'], groupBy }, { matchers: ['c="d"'], groupBy }] } });
    // WHEN
    const { chart } = givenChart();
    const yaml = new Alertmanager(chart, 'am', { config }).renderConfig();
    // THEN
    expect(yaml).not.toMatch(/[&*]a\d/);
    expect(yaml.match(/- alertname/g)).toHaveLength(3);
  });

  test('time intervals render single values and ranges the way Alertmanager reads them', () => {
    // GIVEN
    const config = withPeriod({
      weekdays: [Weekday.MONDAY, { from: Weekday.TUESDAY, to: Weekday.THURSDAY }],
      months: [{ from: Month.MARCH, to: Month.MAY }],
      daysOfMonth: [1, { from: -3, to: -1 }],
      years: [{ from: 2026, to: 2027 }],
      times: [{ startTime: '22:00', endTime: '24:00' }],
    });
    // WHEN
    const rendered = render(config);
    // THEN
    expect(rendered.time_intervals).toEqual([{
      name: 'ti',
      time_intervals: [{
        times: [{ start_time: '22:00', end_time: '24:00' }],
        weekdays: ['monday', 'tuesday:thursday'],
        days_of_month: ['1', '-3:-1'],
        months: ['march:may'],
        years: ['2026:2027'],
      }],
    }]);
  });

  // Each: the config, the field the error must name, and what it must say.
  const failures: Array<[string, AlertmanagerConfig, string, RegExp]> = [
    // Routes and receivers names
    ['the root route names an unknown receiver', base({ route: { receiver: 'nobody' } }), 'config.route.receiver', /unknown receiver 'nobody' \(defined: null\)/],
    ['a nested child route names an unknown receiver',
      withRoute({ matchers: ['a="b"'], routes: [{ matchers: ['c="d"'], receiver: 'ghost' }] }),
      'config.route.routes[0].routes[0].receiver', /unknown receiver 'ghost'/],
    ['the root route names no receiver', base({ route: {} }), 'config.route.receiver', /root route must name a receiver/],
    ['the root route has matchers', base({ route: { receiver: 'null', matchers: ['a="b"'] } }), 'config.route.matchers', /root route must not have matchers/],
    ['the root route has mute time intervals',
      base({ route: { receiver: 'null', muteTimeIntervals: ['ti'] }, timeIntervals: [{ name: 'ti', timeIntervals: [{}] }] }),
      'config.route.muteTimeIntervals', /root route must not have time intervals/],
    ['two receivers share a name', base({ receivers: [{ name: 'null' }, { name: 'a' }, { name: 'null' }] }), 'config.receivers[2].name', /duplicate receiver name 'null'/],
    ['a receiver has an empty name', base({ receivers: [{ name: 'null' }, { name: '' }] }), 'config.receivers[1].name', /must not be empty/],
    // Matchers
    ['a matcher has no operator', withRoute({ matchers: ['severity'] }), 'config.route.routes[0].matchers[0]', /not a matcher like severity="critical"/],
    ['a matcher value is not quoted', withRoute({ matchers: ['severity=critical'] }), 'config.route.routes[0].matchers[0]', /must be double-quoted/],
    ['one entry holds two matchers', withRoute({ matchers: ['a="1", b="2"'] }), 'config.route.routes[0].matchers[0]', /one matcher per entry/],
    ['a matcher label is not a label name', withRoute({ matchers: ['1abc="x"'] }), 'config.route.routes[0].matchers[0]', /not a valid label name/],
    ['a matcher regex does not compile', withRoute({ matchers: ['team=~"db|(infra"'] }), 'config.route.routes[0].matchers[0]', /not a valid regular expression/],
    ['a matcher regex uses look-ahead, which RE2 lacks', withRoute({ matchers: ['team=~"(?!db).*"'] }), 'config.route.routes[0].matchers[0]', /look-around/],
    ['a matcher value has an escape the parsers read differently', withRoute({ matchers: ['path=~"\\d+"'] }), 'config.route.routes[0].matchers[0]', /has the escape '\\d'/],
    // group_by
    ['group_by has an invalid label name', withRoute({ matchers: ['a="b"'], groupBy: ['alert-name'] }), 'config.route.routes[0].groupBy[0]', /not a valid label name/],
    ['group_by repeats a label', base({ route: { receiver: 'null', groupBy: ['job', 'job'] } }), 'config.route.groupBy[1]', /duplicate label 'job'/],
    ["group_by combines '...' with labels", base({ route: { receiver: 'null', groupBy: ['...', 'job'] } }), 'config.route.groupBy[0]', /cannot be combined/],
    // Intervals
    ['repeat_interval is shorter than group_interval',
      base({ route: { receiver: 'null', groupInterval: Duration.minutes(10), repeatInterval: Duration.minutes(5) } }),
      'config.route.repeatInterval', /repeatInterval \(5m\) must not be shorter than groupInterval \(10m\)/],
    ['a child route sets a group_interval longer than the repeat_interval it inherits',
      withRoute({ matchers: ['a="b"'], groupInterval: Duration.hours(6) }),
      'config.route.routes[0].groupInterval', /repeatInterval \(4h, inherited\) must not be shorter than groupInterval \(6h\)/],
    ['group_interval is zero', withRoute({ matchers: ['a="b"'], groupInterval: Duration.seconds(0) }), 'config.route.routes[0].groupInterval', /longer than zero/],
    ['group_wait is a fraction of a millisecond', withRoute({ matchers: ['a="b"'], groupWait: Duration.millis(0.5) }), 'config.route.routes[0].groupWait', /whole/],
    // Time intervals
    ['a route mutes during an unknown time interval', withRoute({ matchers: ['a="b"'], muteTimeIntervals: ['weekends'] }),
      'config.route.routes[0].muteTimeIntervals[0]', /unknown time interval 'weekends' \(defined: none\)/],
    ['a route is active during an unknown time interval',
      withRoute({ matchers: ['a="b"'], activeTimeIntervals: ['ti', 'office'] }, { timeIntervals: [{ name: 'ti', timeIntervals: [{}] }] }),
      'config.route.routes[0].activeTimeIntervals[1]', /unknown time interval 'office' \(defined: ti\)/],
    ['two time intervals share a name', base({ timeIntervals: [{ name: 'ti', timeIntervals: [{}] }, { name: 'ti', timeIntervals: [{}] }] }),
      'config.timeIntervals[1].name', /duplicate time interval name 'ti'/],
    ['a time interval has no periods', base({ timeIntervals: [{ name: 'ti', timeIntervals: [] }] }), 'config.timeIntervals[0].timeIntervals', /at least one period/],
    ['a weekday is misspelt', withPeriod({ weekdays: [cast<Weekday>('Funday')] }), 'config.timeIntervals[0].timeIntervals[0].weekdays[0]', /'Funday' is not a weekday/],
    ['a weekday range runs backwards', withPeriod({ weekdays: [{ from: Weekday.FRIDAY, to: Weekday.MONDAY }] }),
      'config.timeIntervals[0].timeIntervals[0].weekdays[0]', /runs backwards/],
    ['a month is misspelt', withPeriod({ months: [{ from: Month.JANUARY, to: cast<Month>('jully') }] }), 'config.timeIntervals[0].timeIntervals[0].months[0].to', /'jully' is not a month/],
    ['a month range runs backwards', withPeriod({ months: [{ from: Month.DECEMBER, to: Month.JANUARY }] }), 'config.timeIntervals[0].timeIntervals[0].months[0]', /runs backwards/],
    ['a time of day is not HH:MM', withPeriod({ times: [{ startTime: '9:00', endTime: '17:00' }] }), 'config.timeIntervals[0].timeIntervals[0].times[0].startTime', /'9:00' is not a time of day HH:MM/],
    ['a time of day is past midnight', withPeriod({ times: [{ startTime: '09:00', endTime: '24:30' }] }), 'config.timeIntervals[0].timeIntervals[0].times[0].endTime', /not a time of day/],
    ['a time range ends before it starts', withPeriod({ times: [{ startTime: '18:00', endTime: '09:00' }] }), 'config.timeIntervals[0].timeIntervals[0].times[0]', /startTime 18:00 must be before endTime 09:00/],
    ['a day of the month is out of range', withPeriod({ daysOfMonth: [32] }), 'config.timeIntervals[0].timeIntervals[0].daysOfMonth[0]', /32 is not a day of the month/],
    ['a day range starts from the end and ends from the start', withPeriod({ daysOfMonth: [{ from: -3, to: 5 }] }), 'config.timeIntervals[0].timeIntervals[0].daysOfMonth[0]', /is empty/],
    ['a year range runs backwards', withPeriod({ years: [{ from: 2030, to: 2026 }] }), 'config.timeIntervals[0].timeIntervals[0].years[0]', /runs backwards/],
    ['a location is no time zone', withPeriod({ location: 'Mars/Olympus' }), 'config.timeIntervals[0].timeIntervals[0].location', /not an IANA time zone/],
    ['a location is in the wrong case for Go', withPeriod({ location: 'europe/berlin' }), 'config.timeIntervals[0].timeIntervals[0].location', /not an IANA time zone/],
    // Inhibit rules
    ['an inhibit rule has no target matchers', base({ inhibitRules: [{ sourceMatchers: ['severity="critical"'], targetMatchers: [] }] }),
      'config.inhibitRules[0].targetMatchers', /at least one matcher/],
    ['an inhibit rule has no source matchers', base({ inhibitRules: [{ sourceMatchers: [], targetMatchers: ['a="b"'] }] }),
      'config.inhibitRules[0].sourceMatchers', /at least one matcher/],
    ['an inhibit rule has a bad matcher', base({ inhibitRules: [{ sourceMatchers: ['a="b"'], targetMatchers: ['a="b"', 'c=~"("'] }] }),
      'config.inhibitRules[0].targetMatchers[1]', /not a valid regular expression/],
    ['an inhibit rule compares an invalid label', base({ inhibitRules: [{ sourceMatchers: ['a="b"'], targetMatchers: ['c="d"'], equal: ['cluster name'] }] }),
      'config.inhibitRules[0].equal[0]', /not a valid label name/],
    // Email
    ['an email receiver has no recipient', withReceiver({ emailConfigs: [cast({ from: 'a@b.c', smarthost: 'smtp:25' })] }), 'config.receivers[1].emailConfigs[0].to', /recipient address \(to\) is required/],
    ['an email receiver has no SMTP server, nor a global one', withReceiver({ emailConfigs: [{ to: 'a@b.c', from: 'a@b.c' }] }),
      'config.receivers[1].emailConfigs[0].smarthost', /no SMTP server/],
    ['an email receiver has no sender, nor a global one', withReceiver({ emailConfigs: [{ to: 'a@b.c' }] }, { global: { smtpSmarthost: 'smtp:25' } }),
      'config.receivers[1].emailConfigs[0].from', /no sender address/],
    ['an email smarthost has no port', withReceiver({ emailConfigs: [{ to: 'a@b.c', from: 'a@b.c', smarthost: 'smtp.example.com' }] }),
      'config.receivers[1].emailConfigs[0].smarthost', /not a host:port address/],
    ['email headers repeat a name in another case', withReceiver({ emailConfigs: [{ to: 'a@b.c', from: 'a@b.c', smarthost: 'smtp:25', headers: { Subject: 'a', subject: 'b' } }] }),
      'config.receivers[1].emailConfigs[0].headers.subject', /duplicate header/],
    ['an email password is given inline', withReceiver({ emailConfigs: [cast({ to: 'a@b.c', from: 'a@b.c', smarthost: 'smtp:25', authPassword: 'hunter2' })] }),
      'config.receivers[1].emailConfigs[0].authPassword', /inline secrets are not accepted.*authPasswordFile/],
    // Slack
    ['a Slack receiver has no API URL, nor a global one', withReceiver({ slackConfigs: [{ channel: '#alerts' }] }), 'config.receivers[1].slackConfigs[0].apiUrlFile', /no Slack API URL/],
    ['a Slack receiver sets both a webhook URL and an app token', withReceiver({ slackConfigs: [{ apiUrlFile: secret('u'), appTokenFile: secret('t') }] }),
      'config.receivers[1].slackConfigs[0]', /at most one of apiUrlFile, appTokenFile/],
    ['a Slack app token comes with its own Authorization header',
      withReceiver({ slackConfigs: [{ appTokenFile: secret('t'), httpConfig: { authorization: { credentialsFile: secret('c') } } }] }),
      'config.receivers[1].slackConfigs[0].httpConfig.authorization', /must not authenticate too \(httpConfig\.authorization\)/],
    ['a Slack app token would inherit the global basic auth',
      withReceiver({ slackConfigs: [{ appTokenFile: secret('t') }] }, { global: { httpConfig: { basicAuth: { username: 'u', passwordFile: secret('p') } } } }),
      'config.receivers[1].slackConfigs[0].appTokenFile', /must not authenticate too \(global\.httpConfig\.basicAuth\)/],
    ['a Slack webhook URL is given inline', withReceiver({ slackConfigs: [cast({ apiUrl: 'https://hooks.slack.com/services/T0/B0/XXXX' })] }),
      'config.receivers[1].slackConfigs[0].apiUrl', /inline secrets are not accepted/],
    ['the globals set both a Slack webhook URL and an app token', base({ global: { slackApiUrlFile: secret('u'), slackAppTokenFile: secret('t') } }),
      'config.global.slackAppTokenFile', /at most one/],
    // PagerDuty, OpsGenie
    ['a PagerDuty receiver has no key', withReceiver({ pagerdutyConfigs: [{}] }), 'config.receivers[1].pagerdutyConfigs[0]', /exactly one of routingKeyFile, serviceKeyFile/],
    ['a PagerDuty receiver has both keys', withReceiver({ pagerdutyConfigs: [{ routingKeyFile: secret('r'), serviceKeyFile: secret('s') }] }),
      'config.receivers[1].pagerdutyConfigs[0]', /got routingKeyFile and serviceKeyFile/],
    ['a PagerDuty routing key is given inline', withReceiver({ pagerdutyConfigs: [cast({ routingKey: 'abc' })] }), 'config.receivers[1].pagerdutyConfigs[0].routingKey', /inline secrets/],
    ['an OpsGenie receiver has no API key, nor a global one', withReceiver({ opsgenieConfigs: [{}] }), 'config.receivers[1].opsgenieConfigs[0].apiKeyFile', /no OpsGenie API key/],
    ['an OpsGenie responder has both a name and an id',
      withReceiver({ opsgenieConfigs: [{ apiKeyFile: secret('k'), responders: [{ type: OpsGenieResponderType.TEAM, name: 'a', id: 'b' }] }] }),
      'config.receivers[1].opsgenieConfigs[0].responders[0]', /exactly one of id, name, username/],
    ['an OpsGenie priority is unknown', withReceiver({ opsgenieConfigs: [{ apiKeyFile: secret('k'), priority: cast<OpsGeniePriority>('P0') }] }),
      'config.receivers[1].opsgenieConfigs[0].priority', /'P0' is not one of P1, P2, P3, P4, P5/],
    // WeChat, Telegram, Teams
    ['a WeChat receiver has no API secret, nor a global one', withReceiver({ wechatConfigs: [{ corpId: 'c' }] }), 'config.receivers[1].wechatConfigs[0].apiSecretFile', /no WeChat API secret/],
    ['a WeChat receiver has no corporation ID, nor a global one', withReceiver({ wechatConfigs: [{ apiSecretFile: secret('s') }] }), 'config.receivers[1].wechatConfigs[0].corpId', /no WeChat corporation ID/],
    ['a WeChat message type is unknown', withReceiver({ wechatConfigs: [{ apiSecretFile: secret('s'), corpId: 'c', messageType: cast<WeChatMessageType>('html') }] }),
      'config.receivers[1].wechatConfigs[0].messageType', /'html' is not one of text, markdown/],
    ['a Telegram receiver has no bot token, nor a global one', withReceiver({ telegramConfigs: [{ chatId: 1 }] }), 'config.receivers[1].telegramConfigs[0].botTokenFile', /no Telegram bot token/],
    ['a Telegram receiver has no chat', withReceiver({ telegramConfigs: [{ botTokenFile: secret('t') }] }), 'config.receivers[1].telegramConfigs[0]', /exactly one of chatId, chatIdFile/],
    ['a Telegram chat ID is zero', withReceiver({ telegramConfigs: [{ botTokenFile: secret('t'), chatId: 0 }] }), 'config.receivers[1].telegramConfigs[0].chatId', /non-zero integer/],
    ['a Telegram parse mode is unknown', withReceiver({ telegramConfigs: [{ botTokenFile: secret('t'), chatId: 1, parseMode: cast<TelegramParseMode>('markdown') }] }),
      'config.receivers[1].telegramConfigs[0].parseMode', /'markdown' is not one of HTML, Markdown, MarkdownV2/],
    ['an MS Teams receiver has no webhook URL file', withReceiver({ msteamsConfigs: [cast({ title: 't' })] }), 'config.receivers[1].msteamsConfigs[0].webhookUrlFile', /is required/],
    ['an MS Teams v2 webhook URL is given inline', withReceiver({ msteamsV2Configs: [cast({ webhookUrl: 'https://x.logic.azure.com/workflows/1?sig=s' })] }),
      'config.receivers[1].msteamsV2Configs[0].webhookUrl', /inline secrets/],
    // Webhooks, files and HTTP clients
    ['a webhook has neither url nor urlFile', withReceiver({ webhookConfigs: [{}] }), 'config.receivers[1].webhookConfigs[0]', /exactly one of url, urlFile/],
    ['a webhook URL embeds credentials', withReceiver({ webhookConfigs: [{ url: 'https://user:pass@hooks.example.com/x' }] }),
      'config.receivers[1].webhookConfigs[0].url', /embeds credentials/],
    ['a webhook URL is not http(s)', withReceiver({ webhookConfigs: [{ url: 'ftp://hooks.example.com/x' }] }), 'config.receivers[1].webhookConfigs[0].url', /not an http\(s\) URL/],
    ['a webhook URL template is not closed', withReceiver({ webhookConfigs: [{ url: 'http://hook/{{ .GroupLabels.team }/x' }] }), 'config.receivers[1].webhookConfigs[0].url', /unbalanced/],
    ['a webhook max_alerts is negative', withReceiver({ webhookConfigs: [{ url: 'http://hook/', maxAlerts: -1 }] }), 'config.receivers[1].webhookConfigs[0].maxAlerts', /integer >= 0/],
    ['a secret file is a plain path (JavaScript, or a cast)', withReceiver({ webhookConfigs: [{ urlFile: cast<SecretFile>('/run/hook/url') }] }),
      'config.receivers[1].webhookConfigs[0].urlFile', /'\/run\/hook\/url' is not a SecretFile: use SecretFile\.fromSecret\(secretName, key\)$/],
    ['a secret file is a path into the Alertmanager secrets folder', withReceiver({ webhookConfigs: [{ urlFile: cast<SecretFile>(`${POD_SECRET_DIR}/url`) }] }),
      'config.receivers[1].webhookConfigs[0].urlFile', /is a path into \/etc\/alertmanager\/secrets, .*use SecretFile\.fromSecret\(secretName, key\)/],
    ['a secret file is a path into the Prometheus secrets folder', withReceiver({ slackConfigs: [{ apiUrlFile: cast<SecretFile>('/etc/prometheus/secrets/slack/url') }] }),
      'config.receivers[1].slackConfigs[0].apiUrlFile', /'\/etc\/prometheus\/secrets\/slack\/url' is a path into \/etc\/prometheus\/secrets, .*use SecretFile\.fromSecret/],
    ['a global secret file is a plain path', base({ global: { smtpAuthPasswordFile: cast<SecretFile>('/etc/alertmanager/secrets/smtp/password') } }),
      'config.global.smtpAuthPasswordFile', /use SecretFile\.fromSecret/],
    ['an HTTP client password file is a plain path', withReceiver({ webhookConfigs: [{ url: 'http://hook/', httpConfig: { basicAuth: { username: 'u', passwordFile: cast<SecretFile>('/p') } } }] }),
      'config.receivers[1].webhookConfigs[0].httpConfig.basicAuth.passwordFile', /is not a SecretFile/],
    ['a TLS client key is a path into a secrets folder', base({ global: { httpConfig: { tlsConfig: { certFile: secret('c'), keyFile: cast<SecretFile>('/etc/alertmanager/secrets/tls/key') } } } }),
      'config.global.httpConfig.tlsConfig.keyFile', /use SecretFile\.fromSecret/],
    ['a TLS CA file is a relative path', base({ global: { httpConfig: { tlsConfig: { caFile: 'ca.crt' } } } }), 'config.global.httpConfig.tlsConfig.caFile', /must be an absolute path/],
    ['a TLS CA file is a path into a secrets folder', base({ global: { httpConfig: { tlsConfig: { caFile: '/etc/alertmanager/secrets/tls/ca.crt' } } } }),
      'config.global.httpConfig.tlsConfig.caFile', /is a path into \/etc\/alertmanager\/secrets, .*use SecretFile\.fromSecret/],
    ['an HTTP client has both basic auth and an Authorization header',
      withReceiver({ webhookConfigs: [{ url: 'http://hook/', httpConfig: { basicAuth: { username: 'u', passwordFile: secret('p') }, authorization: { credentialsFile: secret('c') } } }] }),
      'config.receivers[1].webhookConfigs[0].httpConfig', /at most one of basicAuth, authorization, oauth2/],
    ['a basic auth password is given inline', withReceiver({ webhookConfigs: [{ url: 'http://hook/', httpConfig: { basicAuth: cast({ username: 'u', password: 'p' }) } }] }),
      'config.receivers[1].webhookConfigs[0].httpConfig.basicAuth.password', /inline secrets/],
    ['a client certificate has no key', base({ global: { httpConfig: { tlsConfig: { certFile: secret('c') } } } }), 'config.global.httpConfig.tlsConfig.keyFile', /set both or neither/],
    ['no_proxy is set without a proxy', base({ global: { httpConfig: { noProxy: 'localhost' } } }), 'config.global.httpConfig.noProxy', /only applies together with proxyUrl/],
    ['a global secret is given inline', base({ global: cast({ smtpAuthPassword: 'hunter2' }) }), 'config.global.smtpAuthPassword', /inline secrets/],
    ['a template glob has an unclosed class', base({ templates: ['/etc/alertmanager/templates/[a-z.tmpl'] }), 'config.templates[0]', /not a file glob/],
  ];

  test.each(failures)('fails when %s', (_, config, field, problem) => {
    // GIVEN a config with exactly that mistake, WHEN it is rendered
    const error = renderError(config);
    // THEN the error names the construct path and the field, and says what is wrong
    expect(error.message.startsWith(`test/am: invalid '${field}': `)).toBe(true);
    expect(error.message).toMatch(problem);
  });

  test('fails at construction, so `cdk8s synth` stops before writing manifests', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new Alertmanager(chart, 'am', { config: base({ route: { receiver: 'nobody' } }) }))
      .toThrow(/^test\/am: invalid 'config\.route\.receiver': unknown receiver 'nobody'/);
  });
});
