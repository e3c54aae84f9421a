// @vitest-environment jsdom
// Every API error code has its own words on a page: the heading says what happened and the
// hint what to try; the code is on the element for tests and tools.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorPanel } from '@/components/errors/error-panel';
import { API_ERROR_CODES, type ApiErrorCode } from '@/lib/api/types';

const titles: Record<ApiErrorCode, string> = {
  INVALID_REFERENCE: 'Invalid reference',
  INVALID_QUERY: 'Invalid reference',
  ADDRESS_NOT_ALLOWED: 'Address not allowed',
  UNAUTHORIZED: 'Not found, or credentials needed',
  DENIED: 'Access denied',
  NAME_UNKNOWN: 'Repository not found',
  MANIFEST_UNKNOWN: 'Tag not found',
  BLOB_UNKNOWN: 'Blob not found',
  UNSUPPORTED: 'Not offered by this registry',
  TOOMANYREQUESTS: 'Rate limited by the registry',
  PULL_RESERVE: 'Pulls kept in reserve',
  DIGEST_MISMATCH: 'Integrity check failed',
  TOO_LARGE: 'Too large',
  UPSTREAM: 'The registry answered with an error',
  TIMEOUT: 'The registry did not answer in time',
  UNREACHABLE: 'Registry unreachable',
  INVALID_CONFIGURATION: 'Tagscope is misconfigured',
  HOST_NOT_ALLOWED: 'Host name not allowed',
  RATE_LIMITED: 'Too many requests',
  HISTORY_UNAVAILABLE: 'Tag history is unavailable',
  INTERNAL: 'Something went wrong in Tagscope',
};

describe('ErrorPanel', () => {
  afterEach(cleanup);

  it.each(API_ERROR_CODES.map((code) => [code, titles[code]] as const))('%s: "%s"', (code, title) => {
    const { container } = render(<ErrorPanel error={{ code, message: `the ${code} message` }} reference="alpine:3.12" />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(title);
    expect(screen.getByText(`the ${code} message`)).toBeInTheDocument();
    expect(container.querySelector('[data-error-code]')?.getAttribute('data-error-code')).toBe(code);
  });

  it('says a digest is not found when the reference names one', () => {
    render(<ErrorPanel error={{ code: 'MANIFEST_UNKNOWN', message: 'gone' }} reference={`alpine@sha256:${'a'.repeat(64)}`} />);
    expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent('Digest not found');
  });

  it('gives the registry\'s numbers and the wait for its rate limit', () => {
    render(<ErrorPanel error={{ code: 'TOOMANYREQUESTS', message: 'slow down', details: { ratelimitLimit: 100, ratelimitRemaining: 0, retryAfter: 1800 } }} reference="alpine" />);
    expect(screen.getByRole('alert')).toHaveTextContent('The registry allows 100 pulls per window; 0 remain. Try again in 30 minutes.');
  });

  it('says why a GET was held back for the pull reserve, and when the window resets', () => {
    render(<ErrorPanel error={{ code: 'PULL_RESERVE', message: 'kept', details: { ratelimitLimit: 100, ratelimitRemaining: 20, retryAfter: 7200 } }} reference="alpine" />);
    expect(screen.getByRole('alert')).toHaveTextContent('sign in with REGISTRY_AUTH_FILE for a larger limit, or wait about 2 hours for the registry\'s window to reset.');
  });

  it('names the query parameter an address got wrong (?at=), instead of blaming the reference', () => {
    render(<ErrorPanel error={{ code: 'INVALID_QUERY', message: 'at: "soon" is not a date', details: { parameter: 'at' } }} reference="alpine:3.12" headingLevel={1} />);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Invalid query parameter');
    expect(screen.getByRole('alert')).toHaveTextContent('Correct at= as the message says, or leave it out of the address.');
  });
});
