// A registry's error text is relayed to visitors (registryErrors): every form of the credential
// the transport sent is cut out of it, and nothing else is.
import { describe, expect, it } from 'vitest';
import { redact, secretForms } from '@/lib/registry/redact';

const user = { username: 'carol', password: 'p@ss word/1' };
const pair = 'carol:p@ss word/1';
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('redact(secretForms(…))', () => {
  it.each([
    // [what, credential, Authorization sent, registry's text, relayed]
    ['the Basic header echoed', user, `Basic ${base64(pair)}`, `got Authorization: Basic ${base64(pair)}`, 'got Authorization: Basic [redacted]'],
    ['the Basic value without its padding', user, `Basic ${base64(pair)}`, `got ${base64(pair).replace(/=+$/, '')}.`, 'got [redacted].'],
    ['user:password', user, null, `bad login ${pair}`, 'bad login [redacted]'],
    ['the password alone, plain and URL-encoded', user, null, `password ${user.password} or ${encodeURIComponent(user.password)}`, 'password [redacted] or [redacted]'],
    ['the password in base64 and base64url', { username: 'u', password: 'ÿþ>?' }, null, `as ${base64('ÿþ>?')} or ${Buffer.from('ÿþ>?').toString('base64url')}`, 'as [redacted] or [redacted]'],
    ['a Bearer token, and the account behind it', user, 'Bearer tok.en-123', `Bearer tok.en-123 for ${user.password}`, 'Bearer [redacted] for [redacted]'],
    ['anonymous: nothing to cut', null, null, 'authentication required', 'authentication required'],
    ['a text without the secret stays as it was', user, `Basic ${base64(pair)}`, 'repository name not known to registry', 'repository name not known to registry'],
  ])('%s', (_what, credential, authorization, text, relayed) => {
    expect(redact(text, secretForms(credential, authorization))).toBe(relayed);
  });
});
