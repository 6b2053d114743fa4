import { parse } from 'yaml';
import { ContainerImage, Prometheus, RemoteStoreApi, SecretFile, StoreTlsVersion, ThanosQuerier } from '../../lib';
import { find, givenChart, synth } from '../support/synth';

const tls = {
  caFile: SecretFile.fromSecret('eu-west-store-ca', 'ca.crt'),
  certFile: SecretFile.fromSecret('global-querier-client', 'tls.crt'),
  keyFile: SecretFile.fromSecret('global-querier-client', 'tls.key'),
  serverName: 'thanos-grpc.eu-west.example.com',
  minVersion: StoreTlsVersion.TLS12,
};

describe('a Querier over remote Store APIs', () => {
  function givenGlobalQuerier() {
    const { chart } = givenChart('global');
    const querier = new ThanosQuerier(chart, 'querier', {
      remoteStores: [
        RemoteStoreApi.at('thanos-grpc.eu-west.example.com:443', { tls, cidr: '203.0.113.0/24' }),
        RemoteStoreApi.at('10.20.0.5:10901'),
      ],
    });
    return { chart, querier, manifests: synth(chart) };
  }

  test('renders each remote endpoint with its TLS as Thanos v0.42.4 reads it', () => {
    // GIVEN / WHEN
    const { querier } = givenGlobalQuerier();
    // THEN the fields of cmd/thanos/endpointset.go at v0.42.4: endpoints[].address and
    // client_config { tls_config { enabled, ca_file, cert_file, key_file, insecure_skip_verify, min_version }, server_name }
    expect(parse(querier.renderEndpoints())).toEqual({
      endpoints: [
        {
          address: 'thanos-grpc.eu-west.example.com:443',
          client_config: {
            tls_config: {
              enabled: true,
              ca_file: '/etc/thanos/secrets/eu-west-store-ca/ca.crt',
              cert_file: '/etc/thanos/secrets/global-querier-client/tls.crt',
              key_file: '/etc/thanos/secrets/global-querier-client/tls.key',
              min_version: '1.2',
            },
            server_name: 'thanos-grpc.eu-west.example.com',
          },
        },
        { address: '10.20.0.5:10901' },
      ],
    });
  });

  test('mounts the client certificate Secrets where the endpoint config points', () => {
    // GIVEN / WHEN
    const { manifests } = givenGlobalQuerier();
    const pod = find(manifests, 'Deployment', 'querier').spec.template.spec;
    // THEN one read-only mount per Secret, under the paths the config names
    expect(pod.containers[0].volumeMounts.filter((m: any) => m.mountPath.startsWith('/etc/thanos/secrets')).map((m: any) => m.mountPath).sort())
      .toEqual(['/etc/thanos/secrets/eu-west-store-ca', '/etc/thanos/secrets/global-querier-client']);
    expect(pod.volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName).sort()).toEqual(['eu-west-store-ca', 'global-querier-client']);
  });

  test('egress allows exactly the remote stores\' ports, narrowed to a CIDR where given', () => {
    // GIVEN / WHEN
    const { manifests } = givenGlobalQuerier();
    const egress = find(manifests, 'NetworkPolicy', 'querier').spec.egress;
    // THEN DNS, then 443 to the CIDR only, then 10901 anywhere
    expect(egress.slice(1)).toEqual([
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
      { ports: [{ protocol: 'TCP', port: 10901 }] },
    ]);
  });

  test('serves its own Store API over TLS on a LoadBalancer reachable from the given ranges only', () => {
    // GIVEN a cluster's local Querier, exposed to the global one
    const { chart } = givenChart();
    new ThanosQuerier(chart, 'querier', {
      stores: [new Prometheus(chart, 'prometheus')],
      grpcServerTls: {
        certFile: SecretFile.fromSecret('querier-grpc-tls', 'tls.crt'),
        keyFile: SecretFile.fromSecret('querier-grpc-tls', 'tls.key'),
        clientCaFile: SecretFile.fromSecret('querier-grpc-tls', 'ca.crt'),
      },
      grpcLoadBalancer: { cidrs: ['198.51.100.0/24'] },
    });
    // WHEN
    const manifests = synth(chart);
    // THEN
    const args: string[] = find(manifests, 'Deployment', 'querier').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([
      '--grpc-server-tls-cert=/etc/thanos/secrets/querier-grpc-tls/tls.crt',
      '--grpc-server-tls-key=/etc/thanos/secrets/querier-grpc-tls/tls.key',
      '--grpc-server-tls-client-ca=/etc/thanos/secrets/querier-grpc-tls/ca.crt',
    ]));
    const lb = find(manifests, 'Service', 'querier-grpc');
    expect(lb.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['198.51.100.0/24'], ports: [{ name: 'grpc', port: 10901 }] });
    const ingress = find(manifests, 'NetworkPolicy', 'querier').spec.ingress;
    expect(ingress).toContainEqual({ from: [{ ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 10901 }] });
  });

  test('fails when per-endpoint TLS is asked of a Thanos older than v0.42', () => {
    // GIVEN
    const { chart } = givenChart();
    // WHEN / THEN
    expect(() => new ThanosQuerier(chart, 'querier', {
      image: ContainerImage.of('quay.io/thanos/thanos', 'v0.41.0'),
      remoteStores: [RemoteStoreApi.at('store.example.com:443', { tls })],
    })).toThrow(/test\/querier: invalid 'remoteStores\[0\]': per-endpoint TLS needs Thanos v0.42 or later/);
  });

  test('fails when a remote store is not host:port, or a client certificate has no key', () => {
    // GIVEN / WHEN / THEN
    expect(() => RemoteStoreApi.at('https://store.example.com')).toThrow(/RemoteStoreApi.at: invalid 'address'/);
    expect(() => RemoteStoreApi.at('store.example.com:443', { cidr: 'somewhere' })).toThrow(/RemoteStoreApi.at: invalid 'cidr'/);
    expect(() => RemoteStoreApi.at('store.example.com:443', { tls: { certFile: tls.certFile } })).toThrow(/RemoteStoreApi.at: invalid 'tls.keyFile'/);
  });
});
