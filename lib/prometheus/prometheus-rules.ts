import { IConstruct } from 'constructs';
import { PromqlCheckOptions } from '../config/promql/promql';
import { DEFAULT_RULE_GROUP_PREFIX, defaultRuleGroups } from '../config/rules/default-rules';
import { renderRuleGroup, RuleGroup } from '../config/rules/rule-group';
import { invalid } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { BINARIES, supportedVersion } from '../images/versions/support';
import { MetricsSource } from '../wiring/network-graph';
import { PrometheusConfig, toYaml } from './prometheus-config';

/** The props of {@link Prometheus} that shape its rule file. */
export interface PrometheusRulesOptions {
  /**
   * Add the alerting rules for the stack itself (`defaultRuleGroups()`):
   * targets down, config reloads, TSDB and rule failures, alert delivery,
   * Thanos, Alertmanager clusters, stale Pushgateway pushes.
   * @default true
   */
  readonly defaultRules?: boolean;
  /**
   * Rule groups.
   * @default none
   */
  readonly ruleGroups?: RuleGroup[];
}

/**
 * The model of a Prometheus' rule file: the default rules, which watch what
 * this Prometheus scrapes (itself, its sidecar, the Alertmanagers,
 * Pushgateways and Thanos components of its stack), then the user's
 * groups, each checked when added.
 * @internal
 */
export class PrometheusRules {
  private readonly userGroups: RuleGroup[] = [];

  constructor(
    private readonly scope: IConstruct,
    private readonly options: PrometheusRulesOptions & { readonly image?: ContainerImage },
    /** What the Prometheus scrapes, known at synth time: the default rules watch exactly that. */
    private readonly scraped: () => MetricsSource[],
    private readonly config: PrometheusConfig,
    private readonly own: { prometheusJob: string; thanosSidecarJob?: string; sendsAlerts: () => boolean },
  ) {}

  /** The Prometheus release the expressions are checked for: the image's. */
  private get promql(): PromqlCheckOptions {
    const version = supportedVersion(this.scope, 'image', this.options.image ?? DefaultImages.PROMETHEUS, BINARIES.prometheus);
    return { version: [version.major, version.minor] };
  }

  /** @throws if a group of that name exists, or a rule is invalid */
  public addRuleGroup(group: RuleGroup): void {
    if (this.userGroups.some(g => g.name === group.name)) {
      invalid(this.scope, 'ruleGroups', `a group named '${group.name}' already exists`);
    }
    if (group.name.startsWith(DEFAULT_RULE_GROUP_PREFIX) && (this.options.defaultRules ?? true)) {
      invalid(this.scope, 'ruleGroups', `'${group.name}': names starting with '${DEFAULT_RULE_GROUP_PREFIX}' are the default rules'; rename it, or set defaultRules: false`);
    }
    renderRuleGroup(this.scope, `ruleGroups[${group.name}]`, group, this.promql);
    this.userGroups.push(group);
  }

  /** The default rules (unless disabled), then the added ones. */
  public get ruleGroups(): RuleGroup[] {
    if (!(this.options.defaultRules ?? true)) return [...this.userGroups];
    const sources = this.scraped();
    const jobsOf = (app: string) => sources.filter(s => s.app === app).map(s => ({ job: this.config.jobName(s, s.endpoints[0]), replicas: s.replicas }));
    const defaults = defaultRuleGroups({
      prometheusJob: this.own.prometheusJob,
      thanosSidecarJob: this.own.thanosSidecarJob,
      thanosQueryJobs: jobsOf('thanos-query').map(q => q.job),
      thanosStoreJobs: jobsOf('thanos-store').map(s => s.job),
      thanosCompactJobs: jobsOf('thanos-compact').map(c => c.job),
      thanosRuleJobs: jobsOf('thanos-rule').map(r => r.job),
      alertmanagers: jobsOf('alertmanager'),
      sendsAlerts: this.own.sendsAlerts(),
      pushgateways: sources.some(s => s.app === 'pushgateway'),
    });
    return [...defaults, ...this.userGroups];
  }

  /** The rule file. */
  public render(): string {
    return toYaml({ groups: this.ruleGroups.map(g => renderRuleGroup(this.scope, `ruleGroups[${g.name}]`, g, this.promql)) });
  }
}
