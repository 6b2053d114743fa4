import { credentialRules } from '../../lib/policy/credential-rules';
import { Breakage, testRuleFamily, Variant, web, webConfig } from './policy-test-helpers';

// The credential rules of lib/policy/credential-rules.ts: breakages of the
// compliant manifests that make each rule fire and variants that still pass.

const BREAKAGES: Breakage[] = [
  ['configmap-no-inline-credentials', 'an inline password', o => { webConfig(o)['web.yml'] = 'basic_auth:\n  username: admin\n  password: hunter2\n'; }],
  ['configmap-no-inline-credentials', 'an inline routing key in a list', o => { webConfig(o)['am.yml'] = 'receivers:\n  - name: pd\n    pagerduty_configs:\n      - routing_key: abc123\n'; }],
  ['configmap-no-inline-credentials', 'an inline bearer token', o => { webConfig(o)['scrape.yml'] = 'bearer_token: eyJhbGciOi\n'; }],
  ['configmap-no-inline-credentials', 'a password that only contains a $(VAR) reference', o => { webConfig(o)['cache.yml'] = 'password: secret-$(SUFFIX)\n'; }],
  ['configmap-no-inline-credentials', 'a credential in text that is not YAML', o => { webConfig(o)['app.conf'] = '[auth]\napi_key: abc\n{ broken'; }],
  ['container-no-credential-args', 'a password flag', o => { web(o).args.push('--auth.password=hunter2'); }],
  ['container-no-credential-args', 'a token in an env value', o => { web(o).env.push({ name: 'URL', value: 'https://x.example.com/?access_token=abc' }); }],
  ['container-no-credential-args', 'a literal env var named like a secret', o => { web(o).env.push({ name: 'API_TOKEN', value: 'abc' }); }],
];

const VARIANTS: Variant[] = [
  ['credentials read from files and the environment', o => {
    webConfig(o)['scrape.yml'] = 'authorization:\n  credentials_file: /etc/token\nbearer_token_file: /etc/token\n';
    web(o).args.push('--bearer-token-file=/etc/token', '--secret-name=db');
  }],
  ['a password that is a $(VAR) reference Thanos fills from the environment', o => {
    webConfig(o)['cache.yml'] = 'type: REDIS\nconfig:\n  addr: redis:6379\n  password: $(REDIS_PASSWORD)\n';
  }],
];

testRuleFamily('credential', credentialRules, BREAKAGES, VARIANTS);
