import { InvalidValueError } from '../errors';
import { Version } from './versions/version';

/** Options of {@link ContainerImage.of}. */
export interface ContainerImageOptions {
  /**
   * Pin the image to this digest (`sha256:<64 hex digits>`): the runtime pulls by digest.
   * @default pulled by tag
   */
  readonly digest?: string;
  /**
   * The release the image runs, when its tag does not say (a custom build
   * such as `my-thanos:2024-06-fix`, a mirror's own tags), e.g. `v0.42.4`.
   * The components render the flags of this release, and refuse one older
   * than they support.
   * @default the tag, when it is a version (`v0.42.4`, `3.5.5`, `v3.5.5-distroless`)
   */
  readonly version?: string;
}

/**
 * A container image reference with a pinned tag and an optional digest, and
 * the release it runs (from the tag, or the `version` option).
 *
 * Floating references (`:latest`, or no tag at all) are refused: a monitoring
 * stack that changes version on a pod restart is one nobody can debug during
 * an outage.
 */
export class ContainerImage {
  /**
   * An image from its repository and tag, optionally pinned to a digest
   * (the third argument, or `options.digest`), and the release it runs
   * when the tag does not say (`options.version`).
   */
  public static of(repository: string, tag: string, digestOrOptions?: string | ContainerImageOptions): ContainerImage {
    const options = typeof digestOrOptions === 'string' ? { digest: digestOrOptions } : digestOrOptions ?? {};
    return new ContainerImage('ContainerImage.of', repository, tag, options.digest, options.version);
  }

  /**
   * Parses `repository:tag` or `repository:tag@sha256:…`; `options.version`
   * is the release it runs, when the tag does not say.
   * @throws InvalidValueError if the reference has no tag, or the tag is `latest`.
   */
  public static fromReference(reference: string, options: Pick<ContainerImageOptions, 'version'> = {}): ContainerImage {
    const [nameAndTag, digest] = reference.split('@');
    const colon = nameAndTag.lastIndexOf(':');
    if (colon <= nameAndTag.lastIndexOf('/')) {
      throw new InvalidValueError('ContainerImage.fromReference', 'reference', `'${reference}' has no tag: pin a version (repository:tag)`);
    }
    return new ContainerImage('ContainerImage.fromReference', nameAndTag.slice(0, colon), nameAndTag.slice(colon + 1), digest, options.version);
  }

  /**
   * The release the image runs: the `version` option, else the tag when it
   * is a version (`v0.42.4`, `3.5.5`); undefined when neither says. A
   * component refuses an image without one, and one older than it supports.
   */
  public readonly version?: string;

  private constructor(
    factory: string,
    /** e.g. `quay.io/prometheus/prometheus`. */
    public readonly repository: string,
    /** e.g. `v3.5.0`. */
    public readonly tag: string,
    /** e.g. `sha256:…`; when set, the runtime pulls by digest. */
    public readonly digest?: string,
    /** The `version` option, as given. */
    private readonly explicitVersion?: string,
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
    if (explicitVersion !== undefined && !Version.parse(explicitVersion)) {
      throw new InvalidValueError(factory, 'version', `'${explicitVersion}' of '${repository}' is not a version like v0.42.4 or 3.5.5`);
    }
    this.version = explicitVersion ?? (Version.parse(tag) ? tag : undefined);
  }

  /** The reference to put in a pod spec. */
  public get reference(): string {
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }

  /** A copy of this image pinned to `digest`; it runs the same release. */
  public withDigest(digest: string): ContainerImage {
    return new ContainerImage('ContainerImage.withDigest', this.repository, this.tag, digest, this.explicitVersion);
  }
}
