import { InvalidValueError } from '../errors';

/**
 * A container image reference with a pinned tag and an optional digest.
 *
 * Floating references (`:latest`, or no tag at all) are refused: a monitoring
 * stack that changes version on a pod restart is one nobody can debug during
 * an outage.
 */
export class ContainerImage {
  /** An image from its repository and tag, optionally pinned to a digest. */
  public static of(repository: string, tag: string, digest?: string): ContainerImage {
    return new ContainerImage('ContainerImage.of', repository, tag, digest);
  }

  /**
   * Parses `repository:tag` or `repository:tag@sha256:…`.
   * @throws InvalidValueError if the reference has no tag, or the tag is `latest`.
   */
  public static fromReference(reference: string): ContainerImage {
    const [nameAndTag, digest] = reference.split('@');
    const colon = nameAndTag.lastIndexOf(':');
    if (colon <= nameAndTag.lastIndexOf('/')) {
      throw new InvalidValueError('ContainerImage.fromReference', 'reference', `'${reference}' has no tag: pin a version (repository:tag)`);
    }
    return new ContainerImage('ContainerImage.fromReference', nameAndTag.slice(0, colon), nameAndTag.slice(colon + 1), digest);
  }

  private constructor(
    factory: string,
    /** e.g. `quay.io/prometheus/prometheus`. */
    public readonly repository: string,
    /** e.g. `v3.5.0`. */
    public readonly tag: string,
    /** e.g. `sha256:…`; when set, the runtime pulls by digest. */
    public readonly digest?: string,
  ) {
    if (!/^[a-z0-9]+([._\-/:][a-z0-9]+)*$/.test(repository)) {
      throw new InvalidValueError(factory, 'repository', `'${repository}' is not a valid image repository`);
    }
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
      throw new InvalidValueError(factory, 'tag', `'${tag}' of '${repository}' is not a valid tag`);
    }
    if (/^latest$/.test(tag)) {
      throw new InvalidValueError(factory, 'tag', `'${repository}:latest' floats: pin a version tag`);
    }
    if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      throw new InvalidValueError(factory, 'digest', `'${digest}' of '${repository}' must be sha256:<64 hex digits>`);
    }
  }

  /** The reference to put in a pod spec. */
  public get reference(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }

  /** A copy of this image pinned to `digest`. */
  public withDigest(digest: string): ContainerImage {
    return new ContainerImage('ContainerImage.withDigest', this.repository, this.tag, digest);
  }
}
