// TAGSCOPE_REGISTRY_APIS and TAGSCOPE_PULL_RESERVE as an operator writes them: good values
// become the transport's options, a bad one stops start-up with one line naming it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/registry/errors';
import { parseRegistryApis, transportOptionsFromEnvironment } from '@/lib/registry/environment';

// No credentials file: the options read here are the ones under test.
const DOCKER_CONFIG = mkdtempSync(path.join(tmpdir(), 'tagscope-env-'));
const options = (env: Record<string, string>) => transportOptionsFromEnvironment({ DOCKER_CONFIG, ...env });

function apis(value: string | undefined): Record<string, string> {
  return Object.fromEntries([...parseRegistryApis(value)].map(([registry, api]) => [registry, `${api.kind}:${api.baseUrl.href}`]));
}

function failure(run: () => unknown): RegistryError {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('TAGSCOPE_REGISTRY_APIS: host=kind:baseURL, comma-separated', () => {
  it.each([
    ['unset: Docker Hub and Quay', undefined, { 'docker.io': 'hub:https://hub.docker.com/', 'quay.io': 'quay:https://quay.io/' }],
    ['blank: Docker Hub and Quay', '  ', { 'docker.io': 'hub:https://hub.docker.com/', 'quay.io': 'quay:https://quay.io/' }],
    ['none: no web API', 'none', {}],
    ['a value replaces the whole default', 'docker.io=hub:https://hub.docker.com', { 'docker.io': 'hub:https://hub.docker.com/' }],
    ['a self-hosted Quay', 'Quay.Example.com=QUAY:https://quay.example.com', { 'quay.example.com': 'quay:https://quay.example.com/' }],
    ['an alias of Docker Hub is docker.io', 'index.docker.io=hub:https://hub.docker.com', { 'docker.io': 'hub:https://hub.docker.com/' }],
    ['a loopback emulator, host spelled as references spell it', 'Registry-1.Docker.IO=HUB:http://127.0.0.1:5080', { 'docker.io': 'hub:http://127.0.0.1:5080/' }],
    ['a base URL with a path prefix', 'docker.io=hub:https://mirror.example/hub/', { 'docker.io': 'hub:https://mirror.example/hub/' }],
    ['several entries, spaces and empty entries ignored', ' docker.io=hub:https://hub.docker.com , ,127.1:05000=hub:http://127.0.0.1:6000', {
      'docker.io': 'hub:https://hub.docker.com/',
      '127.0.0.1:5000': 'hub:http://127.0.0.1:6000/',
    }],
  ])('%s', (_, value, expected) => {
    expect(apis(value)).toEqual(expected);
  });

  const form = 'is not host=kind:baseURL, e.g. docker.io=hub:https://hub.docker.com';
  it.each([
    ['x', `TAGSCOPE_REGISTRY_APIS entry "x" ${form}`],
    ['docker.io=hub', `TAGSCOPE_REGISTRY_APIS entry "docker.io=hub" ${form}`],
    ['docker.io=https://hub.docker.com', `TAGSCOPE_REGISTRY_APIS entry "docker.io=https://hub.docker.com" ${form}`],
    ['docker.io=hub:hub.docker.com', `TAGSCOPE_REGISTRY_APIS entry "docker.io=hub:hub.docker.com" ${form}`],
    ['docker.io=hub:ftp://hub.docker.com', `TAGSCOPE_REGISTRY_APIS entry "docker.io=hub:ftp://hub.docker.com" ${form}`],
    ['docker.io=hub:https://user:pw@hub.docker.com', `TAGSCOPE_REGISTRY_APIS entry "docker.io=hub:https://user:pw@hub.docker.com" ${form}`],
    ['docker.io=hub:https://hub.docker.com/?page=1', `TAGSCOPE_REGISTRY_APIS entry "docker.io=hub:https://hub.docker.com/?page=1" ${form}`],
    ['999.1.1.1=hub:https://hub.docker.com', `TAGSCOPE_REGISTRY_APIS entry "999.1.1.1=hub:https://hub.docker.com" ${form}`],
    ['docker.io=hub:https://hub.docker.com,ghcr.io', `TAGSCOPE_REGISTRY_APIS entry "ghcr.io" ${form}`],
    ['ghcr.io=ghcr:https://api.github.com', 'TAGSCOPE_REGISTRY_APIS entry "ghcr.io=ghcr:https://api.github.com" names the kind "ghcr", which Tagscope does not know (known: hub, quay)'],
    ['quay.io=quay:https://quay.io,quay.io=hub:https://hub.docker.com', 'TAGSCOPE_REGISTRY_APIS names quay.io twice; give one entry per registry'],
    ['docker.io=hub:https://a.example,index.docker.io=hub:https://b.example', 'TAGSCOPE_REGISTRY_APIS names docker.io twice; give one entry per registry'],
  ])('%j stops start-up: %s', (value, message) => {
    const error = failure(() => options({ TAGSCOPE_REGISTRY_APIS: value }));
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toBe(message);
    expect(error.details.variable).toBe('TAGSCOPE_REGISTRY_APIS');
  });

  it('reaches the transport options', () => {
    expect(options({ TAGSCOPE_REGISTRY_APIS: 'docker.io=hub:http://127.0.0.1:5080' }).registryApis?.get('docker.io')?.baseUrl.href).toBe('http://127.0.0.1:5080/');
  });
});

describe('TAGSCOPE_PULL_RESERVE: a share or a count of the pull limit', () => {
  it.each([
    ['unset: 20%', undefined, { share: 0.2 }],
    ['blank: 20%', '', { share: 0.2 }],
    ['a share', '20%', { share: 0.2 }],
    ['a fractional share', '12.5 %', { share: 0.125 }],
    ['no reserve', '0%', { share: 0 }],
    ['all of it', '100%', { share: 1 }],
    ['a count', '25', { count: 25 }],
    ['a count of none', ' 0 ', { count: 0 }],
  ])('%s', (_, value, expected) => {
    expect(options(value === undefined ? {} : { TAGSCOPE_PULL_RESERVE: value }).pullReserve).toEqual(expected);
  });

  const expected = 'expected a share of the pull limit such as 20% (at most 100%) or a count such as 25';
  it.each(['lots', '-5', '101%', '2.5', '20 %%', '%'])('%j stops start-up with one line naming it', (value) => {
    const error = failure(() => options({ TAGSCOPE_PULL_RESERVE: value }));
    expect(error.code).toBe('INVALID_CONFIGURATION');
    expect(error.message).toBe(`TAGSCOPE_PULL_RESERVE=${value} is not valid: ${expected}`);
    expect(error.details.variable).toBe('TAGSCOPE_PULL_RESERVE');
  });
});
