// Alertmanager configs shared by the unit test (snapshot) and the real-tool test (amtool).
import { Duration } from 'cdk8s';
import {
  AlertmanagerConfig, AlertMatcher, Month, NotifierTlsVersion, OpsGeniePriority, OpsGenieResponderType,
  Receiver, Receivers, SecretFile, TelegramParseMode, WeChatMessageType, Weekday,
} from '../../lib';
import { ALERTMANAGER_SECRETS_DIR } from '../../lib/config/common/secret-file';

/** The Secret holding the notifier credentials, which the Alertmanager mounts because the config names it. */
export const NOTIFIER_SECRET = 'alertmanager-notifiers';
/** Where the Alertmanager pod mounts {@link NOTIFIER_SECRET}: the folder of its keys in the rendered config. */
export const POD_SECRET_DIR = `${ALERTMANAGER_SECRETS_DIR}/${NOTIFIER_SECRET}`;
/** Key `key` of {@link NOTIFIER_SECRET}. */
export const secret = (key: string): SecretFile => SecretFile.fromSecret(NOTIFIER_SECRET, key);

/** Every secret file the fixtures reference, by file name. */
export const SECRET_FILES = [
  'smtp-password', 'smtp-secret', 'ca.crt', 'client.crt', 'client.key', 'slack-url', 'slack-token',
  'opsgenie-key', 'wechat-secret', 'telegram-token', 'telegram-chat', 'webhook-url', 'bearer-token',
  'basic-password', 'oauth-secret', 'pagerduty-routing-key', 'pagerduty-service-key', 'teams-url', 'teams-v2-url',
];

/** One receiver of each type, with (nearly) every option of that type set. */
export function receiversOfEachType(): Record<string, Receiver> {
  return {
    email: {
      name: 'email',
      emailConfigs: [{
        to: 'oncall@example.com, team@example.com',
        from: 'alertmanager@example.com',
        smarthost: 'smtp.example.com:587',
        hello: 'alertmanager.example.com',
        authUsername: 'alertmanager',
        authPasswordFile: secret('smtp-password'),
        authSecretFile: secret('smtp-secret'),
        authIdentity: 'alertmanager',
        headers: { Subject: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}', 'Reply-To': 'noc@example.com' },
        html: '{{ template "email.default.html" . }}',
        text: '{{ .CommonAnnotations.summary }}',
        requireTls: true,
        forceImplicitTls: false,
        tlsConfig: { caFile: secret('ca.crt'), serverName: 'smtp.example.com', minVersion: NotifierTlsVersion.TLS12 },
        sendResolved: true,
      }],
    },
    webhook: {
      name: 'webhook',
      webhookConfigs: [
        {
          urlFile: secret('webhook-url'),
          sendResolved: false,
          maxAlerts: 20,
          timeout: Duration.seconds(10),
          httpConfig: {
            authorization: { type: 'Bearer', credentialsFile: secret('bearer-token') },
            tlsConfig: { caFile: secret('ca.crt'), certFile: secret('client.crt'), keyFile: secret('client.key'), insecureSkipVerify: false },
            followRedirects: false,
            enableHttp2: true,
          },
        },
        {
          url: 'https://hooks.example.com/alerts/{{ .GroupLabels.team }}',
          httpConfig: { basicAuth: { username: 'alertmanager', passwordFile: secret('basic-password') }, proxyUrl: 'http://proxy.example.com:3128', noProxy: 'localhost,.svc' },
        },
        {
          url: 'https://hooks.example.com/oauth',
          httpConfig: {
            oauth2: { clientId: 'alertmanager', clientSecretFile: secret('oauth-secret'), tokenUrl: 'https://auth.example.com/token', scopes: ['alerts'], endpointParams: { audience: 'hooks' } },
            proxyFromEnvironment: true,
          },
        },
      ],
    },
    slack: {
      name: 'slack',
      slackConfigs: [
        {
          apiUrlFile: secret('slack-url'),
          channel: '#alerts',
          username: 'alertmanager',
          color: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}',
          title: '{{ .CommonLabels.alertname }}',
          titleLink: 'https://alertmanager.example.com',
          pretext: 'pre',
          text: '{{ .CommonAnnotations.description }}',
          footer: 'cdk8s-prometheus-thanos',
          fallback: '{{ .CommonLabels.alertname }}',
          callbackId: 'alerts',
          iconEmoji: ':rotating_light:',
          iconUrl: 'https://example.com/icon.png',
          imageUrl: 'https://example.com/image.png',
          thumbUrl: 'https://example.com/thumb.png',
          fields: [{ title: 'Severity', value: '{{ .CommonLabels.severity }}', short: true }],
          shortFields: true,
          linkNames: true,
          mrkdwnIn: ['text', 'pretext'],
          timeout: Duration.seconds(15),
          sendResolved: true,
        },
        { appTokenFile: secret('slack-token'), appUrl: 'https://slack.com/api/chat.postMessage', channel: '#ops' },
      ],
    },
    pagerduty: {
      name: 'pagerduty',
      pagerdutyConfigs: [
        {
          routingKeyFile: secret('pagerduty-routing-key'),
          url: 'https://events.eu.pagerduty.com/v2/enqueue',
          client: 'Alertmanager',
          clientUrl: 'https://alertmanager.example.com',
          description: '{{ .CommonAnnotations.summary }}',
          severity: '{{ .CommonLabels.severity }}',
          source: 'prometheus',
          details: { cluster: '{{ .CommonLabels.cluster }}' },
          component: 'database',
          group: 'storage',
          class: 'disk',
          links: [{ href: 'https://runbooks.example.com', text: 'Runbook' }],
          images: [{ src: 'https://example.com/graph.png', alt: 'graph', href: 'https://grafana.example.com' }],
          timeout: Duration.seconds(30),
          sendResolved: true,
        },
        { serviceKeyFile: secret('pagerduty-service-key') },
      ],
    },
    opsgenie: {
      name: 'opsgenie',
      opsgenieConfigs: [{
        apiKeyFile: secret('opsgenie-key'),
        apiUrl: 'https://api.eu.opsgenie.com/',
        message: '{{ .CommonLabels.alertname }}',
        description: '{{ .CommonAnnotations.description }}',
        source: 'prometheus',
        details: { cluster: '{{ .CommonLabels.cluster }}' },
        entity: '{{ .CommonLabels.service }}',
        responders: [
          { type: OpsGenieResponderType.TEAM, name: 'infra' },
          { type: OpsGenieResponderType.USER, username: 'oncall@example.com' },
          { type: OpsGenieResponderType.SCHEDULE, id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c' },
        ],
        actions: 'restart,scale',
        tags: 'prometheus,{{ .CommonLabels.severity }}',
        note: 'see the runbook',
        priority: OpsGeniePriority.P2,
        updateAlerts: true,
        sendResolved: true,
      }],
    },
    wechat: {
      name: 'wechat',
      wechatConfigs: [{
        apiSecretFile: secret('wechat-secret'),
        corpId: 'ww0123456789abcdef',
        apiUrl: 'https://qyapi.weixin.qq.com/cgi-bin/',
        agentId: '1000002',
        toUser: '@all',
        toParty: '2',
        toTag: '3',
        message: '{{ template "wechat.default.message" . }}',
        messageType: WeChatMessageType.MARKDOWN,
        sendResolved: true,
      }],
    },
    telegram: {
      name: 'telegram',
      telegramConfigs: [
        {
          botTokenFile: secret('telegram-token'),
          chatId: -1001234567890,
          messageThreadId: 7,
          apiUrl: 'https://api.telegram.org',
          message: '{{ template "telegram.default.message" . }}',
          parseMode: TelegramParseMode.MARKDOWN_V2,
          disableNotifications: true,
          sendResolved: false,
        },
        { botTokenFile: secret('telegram-token'), chatIdFile: secret('telegram-chat') },
      ],
    },
    msteams: {
      name: 'msteams',
      msteamsConfigs: [{ webhookUrlFile: secret('teams-url'), title: 'Alert', summary: '{{ .CommonLabels.alertname }}', text: 'body', sendResolved: true }],
    },
    msteamsv2: {
      name: 'msteamsv2',
      msteamsV2Configs: [{ webhookUrlFile: secret('teams-v2-url'), title: 'Alert', text: 'body', sendResolved: false }],
    },
    dingtalk: Receivers.dingTalkBridge('dingtalk', 'http://dingtalk-bridge:8060/dingtalk/ops/send', { maxAlerts: 10, timeout: Duration.seconds(5) }),
  };
}

/** A config of just one receiver, at the root route, with the globals that receiver needs none of. */
export function singleReceiverConfig(receiver: Receiver): AlertmanagerConfig {
  return { route: { receiver: receiver.name }, receivers: [receiver] };
}

/** A config that uses every option the model has. */
export function everyOptionConfig(): AlertmanagerConfig {
  const r = receiversOfEachType();
  return {
    global: {
      resolveTimeout: Duration.minutes(10),
      httpConfig: { followRedirects: true, tlsConfig: { caFile: secret('ca.crt') } },
      smtpFrom: 'alertmanager@example.com',
      smtpSmarthost: 'smtp.example.com:587',
      smtpHello: 'alertmanager.example.com',
      smtpAuthUsername: 'alertmanager',
      smtpAuthPasswordFile: secret('smtp-password'),
      smtpAuthSecretFile: secret('smtp-secret'),
      smtpAuthIdentity: 'alertmanager',
      smtpRequireTls: true,
      smtpForceImplicitTls: false,
      smtpTlsConfig: { serverName: 'smtp.example.com', minVersion: NotifierTlsVersion.TLS12 },
      slackApiUrlFile: secret('slack-url'),
      slackAppUrl: 'https://slack.com/api/chat.postMessage',
      pagerdutyUrl: 'https://events.pagerduty.com/v2/enqueue',
      opsgenieApiUrl: 'https://api.opsgenie.com/',
      opsgenieApiKeyFile: secret('opsgenie-key'),
      wechatApiUrl: 'https://qyapi.weixin.qq.com/cgi-bin/',
      wechatApiSecretFile: secret('wechat-secret'),
      wechatApiCorpId: 'ww0123456789abcdef',
      telegramApiUrl: 'https://api.telegram.org',
      telegramBotTokenFile: secret('telegram-token'),
    },
    templates: ['/etc/alertmanager/templates/*.tmpl'],
    route: {
      receiver: 'null',
      groupBy: ['alertname', 'cluster', 'namespace'],
      groupWait: Duration.seconds(30),
      groupInterval: Duration.minutes(5),
      repeatInterval: Duration.hours(4),
      routes: [
        { matchers: ['alertname="Watchdog"'], receiver: 'webhook', repeatInterval: Duration.minutes(5), groupInterval: Duration.minutes(1) },
        {
          matchers: [AlertMatcher.eq('severity', 'critical')],
          receiver: 'pagerduty',
          continue: true,
          groupWait: Duration.seconds(10),
          routes: [
            { matchers: [AlertMatcher.regex('team', 'db|storage')], receiver: 'opsgenie', activeTimeIntervals: ['business-hours'] },
            { matchers: [AlertMatcher.notRegex('namespace', 'kube-.*'), AlertMatcher.notEq('env', 'dev')], receiver: 'slack', groupBy: ['...'] },
          ],
        },
        { matchers: ['severity="warning"'], receiver: 'email', muteTimeIntervals: ['nights', 'holidays'], repeatInterval: Duration.days(1) },
        { matchers: ['region="cn"'], receiver: 'wechat', routes: [{ matchers: ['team="ops"'], receiver: 'dingtalk' }] },
        { matchers: ['channel="telegram"'], receiver: 'telegram', groupBy: [] },
        { matchers: ['channel="teams"'], receiver: 'msteams', continue: true },
        { matchers: ['channel="teams"'], receiver: 'msteamsv2' },
      ],
    },
    inhibitRules: [
      {
        name: 'critical-mutes-warning',
        sourceMatchers: ['severity="critical"'],
        targetMatchers: ['severity=~"warning|info"'],
        equal: ['alertname', 'cluster'],
      },
      { sourceMatchers: [AlertMatcher.eq('alertname', 'NodeDown')], targetMatchers: [AlertMatcher.notEq('alertname', 'NodeDown')] },
    ],
    timeIntervals: [
      {
        name: 'business-hours',
        timeIntervals: [{
          times: [{ startTime: '09:00', endTime: '12:30' }, { startTime: '13:30', endTime: '18:00' }],
          weekdays: [{ from: Weekday.MONDAY, to: Weekday.FRIDAY }],
          location: 'Europe/Berlin',
        }],
      },
      {
        name: 'nights',
        timeIntervals: [{ times: [{ startTime: '00:00', endTime: '07:00' }] }, { times: [{ startTime: '22:00', endTime: '24:00' }], weekdays: [Weekday.SATURDAY, Weekday.SUNDAY] }],
      },
      {
        name: 'holidays',
        timeIntervals: [
          { months: [Month.DECEMBER], daysOfMonth: [{ from: 24, to: 26 }, 31], years: [{ from: 2026, to: 2030 }] },
          { months: [{ from: Month.JULY, to: Month.AUGUST }], daysOfMonth: [{ from: -7, to: -1 }], years: [2027] },
          { daysOfMonth: [{ from: 1, to: -1 }], months: [Month.JANUARY], location: 'UTC' },
        ],
      },
    ],
    receivers: [Receivers.blackhole('null'), ...Object.values(r)],
  };
}
