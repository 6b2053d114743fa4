// A Prometheus pod rebuilt on this machine from its synthesized manifests, for the
// real-binary tests. NETWORK: loopback only. Every static scrape target is rewritten
// to 127.0.0.1 (the `prometheus` job to this Prometheus itself, others to a free port
// nobody listens on), the listen address to 127.0.0.1:<free port>, and the Kubernetes
// service discovery jobs get no in-cluster API server (its env vars are unset), so no
// `*.svc` name is ever resolved or contacted.
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse, stringify } from 'yaml';
import { Daemon, freePort, startDaemon, tempDir } from './daemon';
import { container, find, flagValues, Manifest } from './synth';
import { tool } from './tools';

/**
 * Recreates the prometheus container's filesystem under a temp dir: every ConfigMap
 * volume's files at its mountPath, other volumes as empty dirs. The rendered files hold
 * absolute container paths (`rule_files`, `--config.file`) that do not exist outside
 * the pod; `inPod()` maps them into the temp dir, so what stays checked is that the
 * args, the mounts, the ConfigMap keys and the rule_files glob agree with each other.
 */
export function prometheusPodFilesystem(manifests: Manifest[], name = 'prometheus') {
  const root = tempDir('prometheus-pod');
  const inPod = (path: string) => join(root, path);
  const sts = find(manifests, 'StatefulSet', name);
  const prom = container(sts, 'prometheus');
  for (const mount of prom.volumeMounts) {
    const volume = sts.spec.template.spec.volumes?.find((v: any) => v.name === mount.name);
    mkdirSync(inPod(mount.mountPath), { recursive: true });
    if (!volume?.configMap) continue;
    const cm = find(manifests, 'ConfigMap', volume.configMap.name);
    for (const [file, content] of Object.entries<string>(cm.data)) writeFileSync(join(inPod(mount.mountPath), file), content);
  }
  const configFile = inPod(flagValues(prom.args, '--config.file')[0]);
  const config = parse(readFileSync(configFile, 'utf8'));
  config.rule_files = config.rule_files.map(inPod);
  writeFileSync(configFile, stringify(config));
  return { root, inPod, sts, prom, reloader: container(sts, 'config-reloader'), configFile };
}

/** A running Prometheus started with the rendered args. */
export interface LivePrometheus {
  readonly daemon: Daemon;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  /** The config file the daemon reads (edit it, then reload). */
  readonly configFile: string;
  /** The args it was started with. */
  readonly args: string[];
  /** The pod filesystem and rendered containers. */
  readonly pod: ReturnType<typeof prometheusPodFilesystem>;
}

/**
 * Starts the real prometheus with the rendered args of the pod in `manifests`. Only
 * the file paths and the listen address change; every other flag is passed as is.
 */
export async function startRenderedPrometheus(manifests: Manifest[], podName = 'prometheus-0'): Promise<LivePrometheus> {
  const pod = prometheusPodFilesystem(manifests);
  const port = await freePort();
  const unusedPort = await freePort(); // stays closed: scrapes there fail fast on loopback
  const base = `http://127.0.0.1:${port}`;
  const config = parse(readFileSync(pod.configFile, 'utf8'));
  for (const job of config.scrape_configs) {
    for (const sc of job.static_configs ?? []) {
      sc.targets = sc.targets.map(() => `127.0.0.1:${job.job_name === 'prometheus' ? port : unusedPort}`);
    }
  }
  for (const am of config.alerting?.alertmanagers ?? []) {
    for (const sc of am.static_configs ?? []) sc.targets = sc.targets.map(() => `127.0.0.1:${unusedPort}`);
  }
  const text = stringify(config);
  if (text.includes('.svc')) throw new Error(`a *.svc address survived the rewrite:\n${text}`);
  writeFileSync(pod.configFile, text);
  const args = (pod.prom.args as string[]).map(arg => {
    const [flag, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    if (flag === '--config.file' || flag === '--storage.tsdb.path') return `${flag}=${pod.inPod(value)}`;
    if (flag === '--web.listen-address') return `${flag}=127.0.0.1:${port}`;
    return arg;
  });
  const daemon = await startDaemon({
    name: 'prometheus',
    command: tool('prometheus'),
    args,
    cwd: pod.root,
    env: {
      POD_NAME: podName, // what the downward API sets
      // Kubernetes service discovery must find no cluster to talk to.
      KUBERNETES_SERVICE_HOST: undefined,
      KUBERNETES_SERVICE_PORT: undefined,
    },
    readyUrl: `${base}${pod.prom.readinessProbe.httpGet.path}`,
  });
  return { daemon, base, configFile: pod.configFile, args, pod };
}
