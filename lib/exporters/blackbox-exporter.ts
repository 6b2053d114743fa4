import { Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import * as k8s from '../../imports/k8s';
import { RuleGroup } from '../config/rules/rule-group';
import { invalid, validateCount } from '../errors';
import { ContainerImage } from '../images/container-image';
import { DefaultImages } from '../images/default-images';
import { ReplicatedPodOptions } from '../pod/pod-options';
import { Resources } from '../pod/resources';
import { NOBODY } from '../pod/security';
import { Component } from '../private/component';
import { container } from '../private/container';
import { NamedPort } from '../wiring/interfaces';
import { BlackboxModule } from './blackbox-module';
import { blackboxRuleGroup } from './exporter-rules';

/** Props of {@link BlackboxExporter}. */
export interface BlackboxExporterProps extends ReplicatedPodOptions {
  /**
   * Replicas behind one Service; each probe goes to one of them. With a
   * single replica, every probe fails while it restarts.
   * @default 2
   */
  readonly replicas?: number;
  /** The blackbox_exporter image. @default DefaultImages.BLACKBOX_EXPORTER */
  readonly image?: ContainerImage;
  /**
   * Modules of the config. `prometheus.probe()` adds the module it is given.
   * @default none
   */
  readonly modules?: BlackboxModule[];
  /** Requests and limits of the container. @default 20m/32Mi requested, 200m/128Mi limit */
  readonly resources?: Resources;
}

const HTTP_PORT: NamedPort = { name: 'http', port: 9115 };
const CONFIG_DIR = '/etc/blackbox-exporter';
const CONFIG_FILE = 'blackbox.yml';

/**
 * Prometheus' blackbox exporter: probes endpoints from outside (HTTP, TCP,
 * DNS, gRPC, ICMP) for `prometheus.probe()`, a stateless Deployment with its
 * modules in a ConfigMap. It reloads the file itself when the ConfigMap
 * changes (`--config.enable-auto-reload`), so no reloader sidecar runs.
 * Its own metrics are scraped by the Prometheus of its stack.
 */
export class BlackboxExporter extends Component {
  public readonly replicas: number;
  /** The HTTP port (`/probe`, `/metrics`). */
  public readonly port = HTTP_PORT;
  /** Name of the Service. */
  public readonly serviceName: string;
  /** The ConfigMap holding `blackbox.yml`. */
  public readonly configMap: k8s.KubeConfigMap;
  /** The Service (port `http`). */
  public readonly service: k8s.KubeService;
  /** The Deployment: the default child. */
  public readonly deployment: k8s.KubeDeployment;

  private readonly moduleList: Array<{ module: BlackboxModule; rendered: Record<string, unknown> }> = [];

  constructor(scope: Construct, id: string, props: BlackboxExporterProps = {}) {
    super(scope, id, { app: 'blackbox-exporter', role: 'exporter' }, props);
    this.replicas = validateCount(this, 'replicas', props.replicas ?? 2);
    this.serviceName = this.identity.name;
    props.modules?.forEach(m => this.addModule(m));

    this.configMap = this.createConfigMap('config', { [CONFIG_FILE]: Lazy.any({ produce: () => this.renderConfig() }) });
    const template = this.podTemplate(this.replicas, props, {
      containers: [container({
        name: 'blackbox-exporter',
        image: props.image ?? DefaultImages.BLACKBOX_EXPORTER,
        args: [
          `--config.file=${CONFIG_DIR}/${CONFIG_FILE}`,
          // Re-reads the file when the kubelet updates the ConfigMap volume: no reloader sidecar.
          '--config.enable-auto-reload',
          `--web.listen-address=:${HTTP_PORT.port}`,
        ],
        ports: [HTTP_PORT],
        resources: props.resources,
        defaultResources: { cpu: { request: '20m', limit: '200m' }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) } },
        volumeMounts: [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }],
        // The exporter has /-/healthy but no /-/ready: it is ready once it serves.
        probes: {
          livenessProbe: { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString(HTTP_PORT.name) }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
          readinessProbe: { httpGet: { path: '/-/healthy', port: k8s.IntOrString.fromString(HTTP_PORT.name) }, periodSeconds: 5, timeoutSeconds: 3 },
        },
      })],
      volumes: [{ name: 'config', configMap: { name: this.configMap.name } }],
    });
    // Unprivileged ICMP sockets (what the ICMP prober opens first) are allowed to the groups of
    // this safe sysctl, which Pod Security "restricted" admits: no NET_RAW needed.
    const group = props.runAs?.group ?? NOBODY;
    const securityContext: k8s.PodSecurityContext = {
      ...template.spec!.securityContext,
      sysctls: Lazy.any({ produce: () => (this.pings ? [{ name: 'net.ipv4.ping_group_range', value: `${group} ${group}` }] : undefined) }),
    };
    this.deployment = this.createDeployment(this.replicas, { ...template, spec: { ...template.spec!, securityContext } });
    this.service = this.createService({ ports: [HTTP_PORT] });
    this.serveMetrics(this.replicas, [{ job: this.metricsJob(), port: HTTP_PORT, service: this.serviceName }]);
    this.protect(this.replicas);
  }

  /**
   * Adds a module to the config, checked now. Adding a module of the same
   * name and settings again changes nothing.
   * @throws if a module of that name has other settings, or the module is invalid
   */
  public addModule(module: BlackboxModule): void {
    const rendered = module.render(this, `modules[${module.name}]`);
    const known = this.moduleList.find(m => m.module.name === module.name);
    if (known && JSON.stringify(known.rendered) !== JSON.stringify(rendered)) {
      invalid(this, 'modules', `a module named '${module.name}' exists with other settings: give one of them another name`);
    }
    if (!known) this.moduleList.push({ module, rendered });
  }

  /** The module named `name`, if the config has it. */
  public module(name: string): BlackboxModule | undefined {
    return this.moduleList.find(m => m.module.name === name)?.module;
  }

  /** Every module of the config. */
  public get modules(): BlackboxModule[] {
    return this.moduleList.map(m => m.module);
  }

  /** `host:port` of the Service, the `__address__` of every probe. */
  public get probeAddress(): string {
    return `${this.serviceHost(this.serviceName)}:${HTTP_PORT.port}`;
  }

  /** The rendered `blackbox.yml` (for tests and `--config.check`). */
  public renderConfig(): string {
    return stringify({ modules: Object.fromEntries(this.moduleList.map(m => [m.module.name, m.rendered])) }, { lineWidth: 0, aliasDuplicateObjects: false });
  }

  /**
   * The alerts on the probes (a probe failing for 5 minutes, a certificate
   * expiring within 14 days), for `prometheus.addRuleGroup()`. MonitoringChart
   * adds them to its Prometheus when it has a blackbox exporter.
   */
  public alertRules(): RuleGroup {
    return blackboxRuleGroup();
  }

  private get pings(): boolean {
    return this.moduleList.some(m => m.module.prober === 'icmp');
  }
}
