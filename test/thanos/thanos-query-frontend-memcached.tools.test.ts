import { ChildProcess, spawn } from 'child_process';
import { accessSync, constants } from 'fs';
import { connect } from 'net';
import { userInfo } from 'os';
import { delimiter, join } from 'path';
import { Size } from 'cdk8s';
import { parse } from 'yaml';
import { Prometheus, QueryFrontendCache, ThanosQuerier, ThanosQueryFrontend } from '../../lib';
import { freePort, waitFor } from '../support/daemon';
import { find, givenChart, synth } from '../support/synth';
import { TOOLS_BIN } from '../support/tools';

// Live check of the memcached results cache: Thanos is not packaged in Debian,
// memcached is (scripts/install-tools.sh unpacks the host release's build into
// .tools). The rendered cache config's addresses, rewritten to loopback ports,
// must point at live memcached servers that answer `stats` over TCP, with an
// item size limit that holds the largest item the config lets Thanos store:
// a config a Query Frontend could use.
//
// The format is Thanos v0.42.4's (read at that tag in github:thanos-io/thanos):
// pkg/queryfrontend/config.go (CacheProviderConfig `type`/`config`,
// MemcachedResponseCacheConfig: the client config inline + `expiration`, parsed
// with yaml.UnmarshalStrict) and pkg/cacheutil/memcached_client.go
// (MemcachedClientConfig: `addresses` resolved by the DNS provider, `dns+` and
// `dnssrv+` included; `timeout` a time.Duration; `max_item_size` a model.Bytes
// read by alecthomas/units ParseBase2Bytes).

const MEMCACHED_CLIENT_KEYS = [
  'addresses', 'timeout', 'max_idle_connections', 'max_async_concurrency', 'max_async_buffer_size', 'max_get_multi_concurrency',
  'max_item_size', 'max_get_multi_batch_size', 'dns_provider_update_interval', 'auto_discovery', 'set_async_circuit_breaker_config',
];
const START_TIMEOUT_MS = 10_000;

/** The memcached binary: the repo-local install, then PATH. Missing fails the test: it never skips. */
function memcachedBinary(): string {
  for (const dir of [TOOLS_BIN, ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)]) {
    const path = join(dir, 'memcached');
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  throw new Error(`memcached is not installed in ${TOOLS_BIN} nor on PATH: run \`npm run tools\` (bash scripts/install-tools.sh) from the repository root`);
}

/** `alecthomas/units` ParseBase2Bytes for the forms the library renders (`1MiB`, `512KiB`, `1GiB`). */
function base2Bytes(value: string): number {
  const m = /^(\d+)(KiB|MiB|GiB)$/.exec(value);
  if (!m) throw new Error(`'${value}' is not a size the library renders`);
  return Number(m[1]) * 1024 ** (['KiB', 'MiB', 'GiB'].indexOf(m[2]) + 1);
}

/** Sends one memcached text-protocol request and resolves with the reply, up to the line `terminator`. */
function ask(host: string, port: number, request: string, terminator = /(^|\r\n)(END|STORED|ERROR|CLIENT_ERROR[^\r]*|SERVER_ERROR[^\r]*)\r\n$/): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let reply = '';
    socket.setTimeout(3_000, () => socket.destroy(new Error(`no reply from ${host}:${port} to ${JSON.stringify(request.slice(0, 40))}`)));
    socket.on('connect', () => socket.write(request));
    socket.on('data', chunk => {
      reply += chunk.toString('latin1');
      if (terminator.test(reply)) {
        socket.end();
        resolve(reply);
      }
    });
    socket.on('error', reject);
  });
}

/** `STAT name value` lines as a map. */
function stats(reply: string): Record<string, string> {
  return Object.fromEntries(reply.split('\r\n').filter(l => l.startsWith('STAT ')).map(l => {
    const [, name, ...value] = l.split(' ');
    return [name, value.join(' ')];
  }));
}

describe('the Query Frontend memcached cache config against a live memcached', () => {
  const children: ChildProcess[] = [];

  afterEach(async () => {
    // Stopped in the test file, bounded: SIGTERM, then SIGKILL after 5 s.
    await Promise.all(children.splice(0).map(child => new Promise<void>(resolve => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    })));
  });

  async function startMemcached(binary: string, port: number, itemSizeMax: string): Promise<ChildProcess> {
    // memcached refuses to run as root without -u; as anyone else -u is ignored.
    const user = process.getuid?.() === 0 ? ['-u', userInfo().username] : [];
    const child = spawn(binary, ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '16', '-I', itemSizeMax, ...user], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stdout!.on('data', c => (output += c));
    child.stderr!.on('data', c => (output += c));
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`memcached exited with ${child.exitCode}: ${output}`);
      return (await ask('127.0.0.1', port, 'version\r\n', /\r\n$/)).startsWith('VERSION ');
    }, START_TIMEOUT_MS, 100, `memcached on 127.0.0.1:${port}`);
    return child;
  }

  test('every rendered address, rewritten to a loopback port, is a live memcached that answers stats and holds the largest item', async () => {
    // GIVEN a Query Frontend with a memcached cache of two servers, one found through DNS
    const binary = memcachedBinary();
    const { chart } = givenChart();
    const querier = new ThanosQuerier(chart, 'querier', { stores: [new Prometheus(chart, 'prometheus')] });
    new ThanosQueryFrontend(chart, 'frontend', {
      querier,
      cache: QueryFrontendCache.memcached({ addresses: ['dns+memcached-0.cache.svc:11211', 'memcached-1.cache.svc:11211'], maxItemSize: Size.kibibytes(512) }),
    });
    const rendered = parse(find(synth(chart), 'ConfigMap', 'frontend-cache').data['response-cache.yaml']);
    // ...in the upstream format (strictly parsed: no other key)
    expect(rendered.type).toBe('MEMCACHED');
    expect(Object.keys(rendered).sort()).toEqual(['config', 'type']);
    expect([...MEMCACHED_CLIENT_KEYS, 'expiration']).toEqual(expect.arrayContaining(Object.keys(rendered.config)));
    const maxItemBytes = base2Bytes(rendered.config.max_item_size);
    expect(maxItemBytes).toBe(512 * 1024);

    // WHEN a memcached listens on a loopback port for each address (with memcached's default 1 MiB item limit),
    // and the addresses are rewritten to them, the DNS prefix kept
    const ports = await Promise.all(rendered.config.addresses.map(() => freePort()));
    await Promise.all(ports.map(port => startMemcached(binary, port, '1m')));
    const live: string[] = rendered.config.addresses.map((address: string, i: number) => address.replace(/^(dns\+)?[^:]+:\d+$/, `$1127.0.0.1:${ports[i]}`));
    expect(live).toEqual([`dns+127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`]);

    // THEN each answers `stats` over TCP, is a memcached 1.6, and its item limit holds the config's largest item
    for (const address of live) {
      const [host, port] = address.replace(/^dns\+/, '').split(':');
      const general = stats(await ask(host, Number(port), 'stats\r\n'));
      expect(general.pid).toMatch(/^\d+$/);
      expect(general.version).toMatch(/^1\.6\./);
      const settings = stats(await ask(host, Number(port), 'stats settings\r\n'));
      expect(Number(settings.item_size_max)).toBeGreaterThanOrEqual(maxItemBytes);
      // AND it stores and returns an item of the largest size the config lets Thanos write
      const value = 'x'.repeat(maxItemBytes);
      expect(await ask(host, Number(port), `set thanos-qfe-check 0 60 ${value.length}\r\n${value}\r\n`)).toBe('STORED\r\n');
      const got = await ask(host, Number(port), 'get thanos-qfe-check\r\n');
      expect(got.startsWith(`VALUE thanos-qfe-check 0 ${value.length}\r\n`)).toBe(true);
      expect(got.length).toBe(`VALUE thanos-qfe-check 0 ${value.length}\r\n`.length + value.length + '\r\nEND\r\n'.length);
    }
  }, 60_000);

  test("the default max_item_size, 1023KiB, is the largest value a memcached with its default 1 MiB limit stores (the limit counts memcached's item header)", async () => {
    // GIVEN the default memcached cache config
    const binary = memcachedBinary();
    const { chart } = givenChart();
    const querier = new ThanosQuerier(chart, 'querier', { stores: [new Prometheus(chart, 'prometheus')] });
    new ThanosQueryFrontend(chart, 'frontend', { querier, cache: QueryFrontendCache.memcached({ addresses: ['memcached.cache.svc:11211'] }) });
    const rendered = parse(find(synth(chart), 'ConfigMap', 'frontend-cache').data['response-cache.yaml']);
    const maxItemBytes = base2Bytes(rendered.config.max_item_size);
    expect(rendered.config.max_item_size).toBe('1023KiB');
    // WHEN a memcached with its default item limit runs on the rewritten address
    const port = await freePort();
    await startMemcached(binary, port, '1m');
    const limit = Number(stats(await ask('127.0.0.1', port, 'stats settings\r\n')).item_size_max);
    expect(limit).toBe(1024 * 1024);
    // THEN a value of max_item_size, under the longest key memcached takes (250 bytes), is stored
    const key = 'k'.repeat(250);
    const largest = 'x'.repeat(maxItemBytes);
    expect(await ask('127.0.0.1', port, `set ${key} 0 60 ${largest.length}\r\n${largest}\r\n`)).toBe('STORED\r\n');
    // AND one of memcached's own limit is refused: that is why the default stays 1 KiB below it
    const atLimit = 'x'.repeat(limit);
    expect(await ask('127.0.0.1', port, `set big 0 60 ${atLimit.length}\r\n${atLimit}\r\n`)).toMatch(/^SERVER_ERROR object too large for cache\r\n$/);
  }, 60_000);
});
