import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realmMayReceiveCredentials } from '@/lib/registry/auth';
import { CredentialStore, credentialIdentity, normalizeAuthKey } from '@/lib/registry/credentials';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('CredentialStore reads Docker config.json', () => {
  const config = JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
      'ghcr.io': { auth: b64('octo:ghp_x') },
      'https://quay.io': { username: 'q', password: 'p' },
      'localhost:5000': { auth: b64('local:pw') },
    },
  });

  it('maps every key spelling to the registry name references use', () => {
    const store = CredentialStore.fromDockerConfig(config, 'test');
    expect(store.get('docker.io')).toEqual({ username: 'hubuser', password: 'hub:pass' });
    expect(store.get('ghcr.io')).toEqual({ username: 'octo', password: 'ghp_x' });
    expect(store.get('quay.io')).toEqual({ username: 'q', password: 'p' });
    expect(store.get('localhost:5000')).toEqual({ username: 'local', password: 'pw' });
    expect(store.get('gcr.io')).toBeNull();
  });

  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['HTTPS://GHCR.IO/', 'ghcr.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['127.1:05000', '127.0.0.1:5000'],
    ['http://2130706433:5000/', '127.0.0.1:5000'],
    ['[0:0::1]:5000', '[::1]:5000'],
    ['Registry-1.Docker.IO', 'docker.io'],
  ])('normalizeAuthKey(%s) = %s', (key, expected) => {
    expect(normalizeAuthKey(key)).toBe(expected);
  });

  it('reads REGISTRY_AUTH_FILE first, then DOCKER_CONFIG/config.json', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tagscope-creds-'));
    writeFileSync(path.join(dir, 'auth.json'), JSON.stringify({ auths: { 'a.example': { auth: b64('a:1') } } }));
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ auths: { 'b.example': { auth: b64('b:2') } } }));
    const explicit = CredentialStore.fromEnvironment({ REGISTRY_AUTH_FILE: path.join(dir, 'auth.json'), DOCKER_CONFIG: dir });
    expect(explicit.get('a.example')?.username).toBe('a');
    expect(explicit.get('b.example')).toBeNull();
    const fallback = CredentialStore.fromEnvironment({ DOCKER_CONFIG: dir });
    expect(fallback.get('b.example')?.username).toBe('b');
    expect(CredentialStore.fromEnvironment({ DOCKER_CONFIG: path.join(dir, 'none') }).size).toBe(0);
  });

  it('says which file is wrong, without echoing secrets', () => {
    expect(() => CredentialStore.fromDockerConfig('{', '/x/auth.json')).toThrow('/x/auth.json is not valid JSON');
    expect(() => CredentialStore.fromDockerConfig(JSON.stringify({ auths: { h: { auth: b64('nocolon') } } }), 'f')).toThrow(
      'the "auth" of h is not base64 of user:password',
    );
    expect(() => CredentialStore.fromEnvironment({ REGISTRY_AUTH_FILE: '/nonexistent/auth.json' })).toThrow('cannot read REGISTRY_AUTH_FILE');
  });

  it('identifies credentials for cache keys without the password', () => {
    const id = credentialIdentity({ username: 'alice', password: 'secret' });
    expect(id).toMatch(/^alice#[0-9a-f]{16}$/);
    expect(id).not.toContain('secret');
    expect(credentialIdentity({ username: 'alice', password: 'other' })).not.toBe(id);
    expect(credentialIdentity(null)).toBe('anonymous');
  });
});

describe('realmMayReceiveCredentials: the registry\'s own host and port, or its owner\'s hosts on https:443', () => {
  it.each([
    // The registry's own host and port; a default port spelled or not.
    ['https://ghcr.io/token', 'ghcr.io', true],
    ['https://quay.io/v2/auth', 'quay.io', true],
    ['https://ghcr.io:443/token', 'ghcr.io', true],
    ['https://registry.example:443/token', 'registry.example:443', true],
    ['http://127.0.0.1:5000/token', '127.0.0.1:5000', true],
    ['https://[::1]:5000/token', '[::1]:5000', true],
    // Another host of the same registrable domain, on the https default port.
    ['https://auth.docker.io/token', 'registry-1.docker.io', true],
    ['https://gitlab.com/jwt/auth', 'registry.gitlab.com', true],
    ['https://gitlab.example.com/jwt/auth', 'registry.example.com:5050', true],
    ['https://gitlab.example.com/jwt/auth', 'gitlab.example.com:5050', true], // GitLab's own registry port
    ['https://dockerauth.cn-hangzhou.aliyuncs.com/auth', 'registry.cn-hangzhou.aliyuncs.com', true],
    // Port mismatch: another service on the same host.
    ['http://127.0.0.1:9000/token', '127.0.0.1:5000', false],
    ['https://ghcr.io:8443/token', 'ghcr.io', false],
    ['https://auth.docker.io:8443/token', 'registry-1.docker.io', false],
    ['http://auth.docker.io/token', 'registry-1.docker.io', false],
    // Tenants of one multi-tenant suffix are different owners.
    ['https://b.azurecr.io/oauth2/token', 'a.azurecr.io', false],
    ['https://azurecr.io/oauth2/token', 'a.azurecr.io', false],
    ['https://222222222222.dkr.ecr.us-east-1.amazonaws.com/', '111111111111.dkr.ecr.us-east-1.amazonaws.com', false],
    ['https://ecr.us-east-1.amazonaws.com/', '111111111111.dkr.ecr.us-east-1.amazonaws.com', false],
    ['https://b.herokuapp.com/token', 'a.herokuapp.com', false],
    ['https://b.jfrog.io/token', 'a.jfrog.io', false],
    ['https://evil-docker.pkg.dev/v2/token', 'us-docker.pkg.dev', false],
    ['https://other.co.uk/token', 'registry.example.co.uk', false],
    ['https://io/token', 'ghcr.io', false],
    // Unrelated hosts, look-alikes, IP literals, other schemes.
    ['https://evil.example/token', 'ghcr.io', false],
    ['https://auth.docker.io.evil.example/token', 'registry-1.docker.io', false],
    ['http://127.0.0.2/token', '127.0.0.1:5000', false],
    ['https://10.0.0.1/token', '10.0.0.2', false],
    ['ftp://ghcr.io/token', 'ghcr.io', false],
  ])('%s for %s → %s', (realm, registryHost, expected) => {
    expect(realmMayReceiveCredentials(new URL(realm), registryHost)).toBe(expected);
  });
});
