// A registry's own words (its `{"errors":[…]}` list) reach the visitor as `registryErrors`, and a
// registry may echo what it was sent: a proxy that quotes the Authorization header, a server
// that prints the password it refused. Everything the transport sent as a credential is cut out
// of such text before it leaves the client, in every form it could be echoed in.

import type { Credential } from './credentials';

export const REDACTED = '[redacted]';

/**
 * The strings that give a credential away: the token of the Authorization header sent (a
 * Bearer token, or Basic's base64), and the account's password, `user:password`, their base64
 * and URL-encoded forms. Longest first, so a password inside `user:password` is not cut alone
 * first and the rest left showing.
 */
export function secretForms(credential: Credential | null, authorization: string | null): string[] {
  const forms = new Set<string>();
  // The scheme (`Basic`, `Bearer`) gives nothing away and tells the reader what was echoed.
  if (authorization) forms.add(authorization.slice(authorization.indexOf(' ') + 1).trim());
  if (credential?.password) {
    const pair = `${credential.username}:${credential.password}`;
    for (const text of [pair, credential.password]) {
      forms.add(text);
      forms.add(encodeURIComponent(text));
      const base64 = Buffer.from(text).toString('base64');
      forms.add(base64);
      forms.add(base64.replace(/=+$/, ''));
      forms.add(Buffer.from(text).toString('base64url'));
    }
  }
  forms.delete('');
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every secret form replaced by [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(REDACTED);
  return result;
}
