// TAGSCOPE_WEBHOOK_URL's check, apart from the sender: the configuration runs it at start-up and
// must not import the sender (which logs and counts, and so imports the configuration).

import { RegistryError } from '../registry/errors';

/**
 * TAGSCOPE_WEBHOOK_URL: where moves are POSTed; unset or blank is no webhook (null). An absolute
 * http or https URL without a user name, password or fragment: fetch sends no credentials from
 * a URL, so a receiver's secret belongs in its path or query (which are never logged) or, to
 * sign each body, in TAGSCOPE_WEBHOOK_SECRET; and a fragment never leaves this server. Whether http or a private address may be used is the
 * address policy's call at each delivery. The message never repeats the value: it may hold a
 * secret.
 */
export function parseWebhookUrl(text: string | undefined): URL | null {
  const value = text?.trim();
  if (!value) return null;
  const variable = 'TAGSCOPE_WEBHOOK_URL';
  const invalid = (why: string) => new RegistryError('INVALID_CONFIGURATION', `${variable} ${why}`, { variable });
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('is not an absolute URL such as https://hooks.example.com/tagscope');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`must be an https (or http) URL, not ${url.protocol.slice(0, -1)}`);
  if (url.username || url.password) throw invalid('must not hold a user name or password: put the receiver\'s secret in its path or query');
  if (value.includes('#')) throw invalid('must not have a fragment (#…): it would never be sent');
  return url;
}
