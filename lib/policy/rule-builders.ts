import { objectId, ofKind } from './manifests';
import { KubeManifest, PolicyContainer, PolicyContext, PolicyFinding, PolicyPod, PolicyRule } from './policy-rule';

/*
 * Rule builders: most rules look at each pod or each container.
 */

/**
 * A rule over the whole context.
 * @internal
 */
export function rule(id: string, description: string, check: (ctx: PolicyContext) => PolicyFinding[]): PolicyRule {
  return { id, description, check };
}

/**
 * A rule over pod templates; `problems` returns one message per problem.
 * @internal
 */
export function podRule(id: string, description: string, problems: (pod: PolicyPod, ctx: PolicyContext) => string[]): PolicyRule {
  return rule(id, description, ctx => ctx.pods.flatMap(pod => problems(pod, ctx).map(message => ({ object: pod.object, message }))));
}

/**
 * A rule over every container and init container; `problem` returns a message or nothing.
 * @internal
 */
export function containerRule(
  id: string, description: string,
  problem: (c: PolicyContainer, pod: PolicyPod, ctx: PolicyContext) => string | undefined,
): PolicyRule {
  return podRule(id, description, (pod, ctx) => pod.containers.flatMap(c => {
    const message = problem(c, pod, ctx);
    return message ? [`${c.role} '${c.name}': ${message}`] : [];
  }));
}

/**
 * A rule over every object of some kinds.
 * @internal
 */
export function objectRule(
  id: string, description: string, kinds: string[],
  problems: (m: KubeManifest, ctx: PolicyContext) => string[],
): PolicyRule {
  return rule(id, description, ctx => ofKind(ctx, ...kinds).flatMap(m => problems(m, ctx).map(message => ({ object: objectId(m), message }))));
}
