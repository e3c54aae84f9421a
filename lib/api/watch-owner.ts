// Who added a watch, with no accounts: the first PUT of the watch list gives the browser an
// owner token in a cookie (HttpOnly, so no script reads it; SameSite=Strict, so no other
// site's request carries it), and a watch keeps the token's SHA-256, never the token. A DELETE
// must bring the token back. Clients are told apart for the per-client limit as the API rate
// limit tells them apart, and that key too is kept only hashed.

import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';

export const OWNER_COOKIE = 'tagscope-watch-owner';
/** Every path: the repository page reads it too, to show whose watch it is from the first paint. */
const COOKIE_PATH = '/';
const COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;

/** 32 random bytes, base64url: what the cookie holds. Anything else in it is ignored. */
const ownerToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** The owner token a cookie's value holds, or null. */
export function parseOwnerToken(value: string | undefined): string | null {
  const parsed = ownerToken.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The owner token the request's cookie carries, or null. */
export function readOwnerToken(request: Request): string | null {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    const token = name === OWNER_COOKIE ? parseOwnerToken(value.join('=')) : null;
    if (token) return token;
  }
  return null;
}

/** What a watch keeps of an owner token: its SHA-256 (null without a token). */
export function ownerHash(token: string | null): string | null {
  return token === null ? null : sha256Hex(token);
}

export function newOwnerToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The Set-Cookie value that gives a browser its owner token; `secure` when the reader came over https. */
export function ownerCookie(token: string, secure: boolean): string {
  return `${OWNER_COOKIE}=${token}; Path=${COOKIE_PATH}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}
