import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { invalid } from '../../errors';
import { PART_OF } from '../../private/identity';

/**
 * The ConfigMap holding the objstore file of one bucket, a child of the
 * Chart (id: the ConfigMap's name) shared by every component of the Chart
 * that uses the bucket: the first creates it, the others find it.
 * @internal
 */
export class ObjectStorageConfigMap extends Construct {
  /**
   * The ConfigMap named `name` in the Chart of `consumer`, holding `file`
   * under `key`: created on the first call, the same object after.
   * @throws ValidationError (on `consumer`, naming `prop`) if the Chart has
   *   another construct of that id, or that ConfigMap holds another file
   */
  public static ensure(consumer: IConstruct, prop: string, name: string, key: string, file: string): k8s.KubeConfigMap {
    const chart = Chart.of(consumer);
    const existing = chart.node.tryFindChild(name);
    if (existing === undefined) return new ObjectStorageConfigMap(chart, name, key, file).configMap;
    if (!(existing instanceof ObjectStorageConfigMap)) {
      invalid(consumer, prop, `its objstore ConfigMap '${name}' would take the id of ${existing.node.path}: set the bucket's configMapName`);
    }
    if (existing.file !== file) {
      invalid(consumer, prop, `another bucket of this Chart already writes ConfigMap '${name}' with another objstore file: give one of them its own configMapName`);
    }
    return existing.configMap;
  }

  /** The ConfigMap of `name` in `chart`, if a component of it uses that bucket. */
  public static find(chart: Chart, name: string): k8s.KubeConfigMap | undefined {
    const existing = chart.node.tryFindChild(name);
    return existing instanceof ObjectStorageConfigMap ? existing.configMap : undefined;
  }

  public readonly configMap: k8s.KubeConfigMap;

  private constructor(chart: Chart, name: string, key: string, private readonly file: string) {
    super(chart, name);
    this.configMap = new k8s.KubeConfigMap(this, 'config-map', {
      metadata: {
        name,
        labels: {
          'app.kubernetes.io/name': 'thanos',
          'app.kubernetes.io/component': 'object-storage',
          'app.kubernetes.io/part-of': PART_OF,
          'app.kubernetes.io/managed-by': 'cdk8s',
        },
      },
      data: { [key]: file },
    });
    this.node.defaultChild = this.configMap;
  }
}
