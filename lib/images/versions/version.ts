/**
 * A release number: `v0.42.4`, `3.5.5`, `v2.53`. What follows the numbers
 * (`-rc.0`, `-distroless`, `-debian-12-r3`) is not part of it: a pre-release
 * or a variant counts as the release it belongs to.
 * @internal
 */
export class Version {
  /** `v0.42.4`, `3.5.5`, `v2.53`, with an optional `-…`, `+…` or `_…` suffix; undefined for anything else. */
  public static parse(text: string): Version | undefined {
    const m = /^v?(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:[-+_][0-9A-Za-z._+-]*)?$/.exec(text);
    return m ? new Version(Number(m[1]), Number(m[2]), Number(m[3] ?? 0)) : undefined;
  }

  /** A version known to be well formed (the library's own constants). */
  public static of(text: string): Version {
    const v = Version.parse(text);
    if (!v) throw new Error(`not a version: '${text}'`);
    return v;
  }

  private constructor(public readonly major: number, public readonly minor: number, public readonly patch: number) {}

  /** Negative, zero or positive as this is older than, the same as or newer than `other`. */
  public compare(other: Version): number {
    return this.major - other.major || this.minor - other.minor || this.patch - other.patch;
  }

  public atLeast(other: Version): boolean {
    return this.compare(other) >= 0;
  }

  public olderThan(other: Version): boolean {
    return this.compare(other) < 0;
  }

  /** `v0.42.4`. */
  public toString(): string {
    return `v${this.major}.${this.minor}.${this.patch}`;
  }
}
