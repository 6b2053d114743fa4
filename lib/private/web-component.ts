import { Construct } from 'constructs';
import { ComponentProps } from '../pod/pod-options';
import { IIngressTarget, NamedPort } from '../wiring/interfaces';
import { Component, ComponentKind } from './component';
import { RoutePrefix } from './route-prefix';

/** The web props of a component with a UI or HTTP API. */
export interface WebComponentProps extends ComponentProps {
  readonly routePrefix?: string;
  readonly externalUrl?: string;
}

/**
 * A component whose UI or HTTP API an Ingress can expose: what Prometheus,
 * Alertmanager, the Pushgateway, the Querier and Grafana share. It serves
 * under its route prefix (the user's, or its conventional path once an
 * Ingress routes it by path) and links to its public URL (the user's, or the
 * one the Ingress gives). Everything that depends on either reads it at synth.
 * @internal
 */
export abstract class WebComponent extends Component implements IIngressTarget {
  public abstract readonly serviceName: string;
  public abstract readonly webPort: NamedPort;
  /** Where a path-based Ingress serves the component when no `routePrefix` is set. */
  public readonly conventionalPath: string;
  protected readonly prefix: RoutePrefix;
  private readonly explicitUrl?: string;
  private ingressUrl?: string;

  protected constructor(scope: Construct, id: string, kind: ComponentKind & { readonly conventionalPath: string }, props: WebComponentProps) {
    super(scope, id, kind, props);
    this.conventionalPath = kind.conventionalPath;
    this.prefix = new RoutePrefix(this, 'routePrefix', props.routePrefix);
    this.explicitUrl = props.externalUrl;
  }

  /** The path prefix the UI and API are served under. */
  public get routePrefix(): string {
    return this.prefix.value;
  }

  /** Serves under `path` unless `routePrefix` was set; called by an Ingress that routes by path. */
  public routeUnder(path: string): string {
    return this.prefix.adopt(path);
  }

  /** Called by an Ingress that exposes the component, so its links point at the public URL, unless `externalUrl` was given. */
  public exposedAt(url: string): void {
    this.ingressUrl ??= url;
  }

  /** The public URL: `externalUrl`, else the one an Ingress gave, if any. */
  public get externalUrl(): string | undefined {
    return this.explicitUrl ?? this.ingressUrl;
  }
}
