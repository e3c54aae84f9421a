// The address policy on real traffic: a registry, a token realm or a redirect on a private
// address is refused with ADDRESS_NOT_ALLOWED unless TAGSCOPE_INSECURE_REGISTRIES lists it,
// and nothing is sent there.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CredentialStore, parseReference, RegistryClient, type RequestEvent } from '@/lib/registry';
import { caught } from '../support/caught';
import { startFront, type Front } from '../support/harness/front';

const harness = inject('harness');


describe('registry hosts', () => {
  const port = harness.open.host.split(':')[1]!;
  it.each([
    `127.0.0.1:${port}/library/demo`,
    `localhost:${port}/library/demo`,
    `2130706433:${port}/library/demo`,
    `0x7f.1:${port}/library/demo`,
    `[::ffff:7f00:1]:${port}/library/demo`,
    `[::1]:${port}/library/demo`,
    '169.254.169.254/latest',
  ])('%s is refused without a request', async (reference) => {
    const events: RequestEvent[] = [];
    const error = await caught(new RegistryClient({ onRequest: (e) => events.push(e) }).listTags(parseReference(reference)));
    expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
    expect(events.filter((e) => e.status !== null)).toEqual([]);
  });

  it('an insecure entry is reachable however its address is spelled', async () => {
    const list = await new RegistryClient({ insecureRegistries: [harness.open.host] }).listTags(parseReference(`2130706433:${port}/library/demo`));
    expect(list.tags).toContain('latest');
  });
});

describe('token realms', () => {
  it('a realm on an address not listed as insecure is refused, and no credentials go there', async () => {
    const credentials = new CredentialStore([[harness.token.host, harness.users.token]]);
    const error = await caught(new RegistryClient({ insecureRegistries: [harness.token.host], credentials }).listTags(parseReference(`${harness.token.host}/private/demo`)));
    expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
    expect(error.message).toContain(new URL(harness.token.realm).host);
  });
});

describe('redirects', () => {
  let blobStore: Front;
  let front: Front;
  beforeAll(async () => {
    blobStore = await startFront(harness.open.url);
    front = await startFront(harness.open.url, { redirectBlobsTo: `http://localhost:${blobStore.host.split(':')[1]}` });
  });
  afterAll(async () => {
    await front?.stop();
    await blobStore?.stop();
  });

  it('a blob redirect to an address that is not allowed is refused, and nothing reaches it', async () => {
    const client = new RegistryClient({ insecureRegistries: [front.host] });
    // The image stands without its config; the refusal is reported with the config's digest.
    const resolved = await client.resolve(parseReference(`${front.host}/library/demo:single-docker`));
    expect(resolved.errors.map((e) => e.error.code)).toEqual(['ADDRESS_NOT_ALLOWED']);
    expect(resolved.platforms.map((p) => p.platform)).toEqual(['unknown']);
    expect(blobStore.log).toEqual([]);
  });
});
