import { mkdirSync } from 'fs';
import { join } from 'path';
import { App, AppProps, Chart } from 'cdk8s';
import { GitOpsChart, GitOpsOutput } from './gitops-output';

/** Props of {@link KustomizeApp}: those of cdk8s' App but the file layout, which is the GitOps one. */
export type KustomizeAppProps = Omit<AppProps, 'yamlOutputType' | 'outputFileExtension' | 'recordConstructMetadata'>;

/**
 * A cdk8s App whose `synth()` writes each chart as a GitOps folder:
 * `<outdir>/<chart>/<component>.yaml` for each component of the chart and
 * `<outdir>/<chart>/kustomization.yaml` listing them (see {@link GitOpsOutput}).
 * Point Argo CD or Flux at `<outdir>/<chart>`.
 *
 * `synthYaml()` is cdk8s' own: the single-file form of the same objects.
 */
export class KustomizeApp extends App {
  constructor(props: KustomizeAppProps = {}) {
    super(props);
  }

  /**
   * Writes every chart's folder. Every chart is rendered (the app validated) before
   * any file is written, so a failing validation leaves the output as it was.
   * @throws the app's validation errors; an Error naming both constructs when two
   *   charts or two components of a chart would share a folder or file name
   */
  public override synth(): void {
    const rendered: Array<[Chart, GitOpsChart]> = this.charts.map(chart => [chart, GitOpsOutput.render(chart)]);
    const seen = new Map<string, string>();
    for (const [chart, { folderName }] of rendered) {
      const other = seen.get(folderName);
      if (other) {
        throw new Error(`${chart.node.path}: its GitOps folder would be ${folderName}, as that of ${other}; give one of the charts another id`);
      }
      seen.set(folderName, chart.node.path);
    }
    mkdirSync(this.outdir, { recursive: true });
    for (const [, folder] of rendered) {
      GitOpsOutput.write(folder, join(this.outdir, folder.folderName));
    }
  }
}
