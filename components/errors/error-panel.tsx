// Every failure as a person reads it: what happened, echoing the reference, and what to try.
import type { ApiErrorCode, ApiErrorInfo } from '@/lib/api/types';
import { VisibleText } from '../ui/visible-text';

interface Explanation {
  title: string;
  hint: string;
}

/**
 * What each API error code means to a person. A `Record` over every code, like ERROR_STATUS:
 * a new code without its explanation fails the type check.
 */
const invalidInput = (): Explanation => ({
  title: 'Invalid reference',
  hint: 'Check the spelling: repository names are lowercase; tags follow ":", digests follow "@".',
});

const EXPLANATIONS: Record<ApiErrorCode, (error: ApiErrorInfo, reference: string) => Explanation> = {
  INVALID_REFERENCE: invalidInput,
  // A page's query parameter (`?at=`) is named in the details; any other is the reference's.
  INVALID_QUERY: (error) =>
    typeof error.details?.parameter === 'string'
      ? { title: 'Invalid query parameter', hint: `Correct ${error.details.parameter}= as the message says, or leave it out of the address.` }
      : invalidInput(),
  NAME_UNKNOWN: () => ({ title: 'Repository not found', hint: 'Check the name. On Docker Hub, official images live under library/ (alpine is docker.io/library/alpine).' }),
  MANIFEST_UNKNOWN: (_, reference) => ({ title: reference.includes('@') ? 'Digest not found' : 'Tag not found', hint: 'Open the repository to see the tags it has.' }),
  BLOB_UNKNOWN: () => ({ title: 'Blob not found', hint: 'The registry does not have this content in this repository.' }),
  UNSUPPORTED: () => ({ title: 'Not offered by this registry', hint: 'Type a repository name to open it; on Docker Hub, search by name or namespace.' }),
  UNAUTHORIZED: () => ({
    title: 'Not found, or credentials needed',
    hint: 'The registry wants credentials this server does not have. On Docker Hub this also means the repository does not exist. An administrator can add credentials with REGISTRY_AUTH_FILE.',
  }),
  DENIED: () => ({ title: 'Access denied', hint: "The registry refused this server's credentials for it. An administrator can check REGISTRY_AUTH_FILE." }),
  TOOMANYREQUESTS: ({ details: d = {} }) => {
    const numbers = typeof d.ratelimitLimit === 'number' ? ` The registry allows ${d.ratelimitLimit} pulls per window; ${d.ratelimitRemaining ?? 0} remain.` : '';
    const retry = typeof d.retryAfter === 'number' ? ` Try again in ${formatWait(d.retryAfter)}.` : ' Try again later.';
    return { title: 'Rate limited by the registry', hint: `${numbers}${retry}` };
  },
  PULL_RESERVE: ({ details: d = {} }) => {
    const wait = typeof d.retryAfter === 'number' ? ` or wait about ${formatWait(d.retryAfter)} for the registry's window to reset` : ' or wait for the registry\'s window to reset';
    return {
      title: 'Pulls kept in reserve',
      hint: `Reading this needs a registry GET, which counts as a pull, and the pulls left are the ones Tagscope keeps for this server's own docker pulls. An administrator can sign in with REGISTRY_AUTH_FILE for a larger limit,${wait}.`,
    };
  },
  HOST_NOT_ALLOWED: () => ({ title: 'Host name not allowed', hint: 'An administrator can add the address you used to TAGSCOPE_PUBLIC_ORIGIN, as the message says.' }),
  RATE_LIMITED: ({ details: d = {} }) => ({ title: 'Too many requests', hint: `Tagscope limits requests per visitor. Try again in ${formatWait(Number(d.retryAfter ?? 60))}.` }),
  UNREACHABLE: () => ({ title: 'Registry unreachable', hint: 'Check the host name and port, and that the registry is online. Plain-http registries must be listed in TAGSCOPE_INSECURE_REGISTRIES.' }),
  TIMEOUT: () => ({ title: 'The registry did not answer in time', hint: 'It may be overloaded or far away. Try again in a moment.' }),
  ADDRESS_NOT_ALLOWED: () => ({
    title: 'Address not allowed',
    hint: 'Tagscope does not fetch private, loopback or link-local addresses unless an administrator lists the registry in TAGSCOPE_INSECURE_REGISTRIES.',
  }),
  DIGEST_MISMATCH: () => ({ title: 'Integrity check failed', hint: 'The registry sent bytes that do not hash to their digest. Tagscope will not show them as verified.' }),
  TOO_LARGE: () => ({ title: 'Too large', hint: 'The registry sent more than Tagscope reads for this kind of content.' }),
  UPSTREAM: () => ({ title: 'The registry answered with an error', hint: 'Try again; if it persists, the registry may be having trouble.' }),
  INVALID_CONFIGURATION: () => ({ title: 'Tagscope is misconfigured', hint: 'An administrator must fix the server setting the message names, then restart it.' }),
  HISTORY_UNAVAILABLE: () => ({ title: 'Tag history is unavailable', hint: "Tagscope's history database is not answering; tags, digests and comparisons still work. Try again in a moment." }),
  INTERNAL: () => ({ title: 'Something went wrong in Tagscope', hint: 'The error has been logged on the server. Try again; if it persists, report it.' }),
};

/** What went wrong, for a person: the panel's heading (also the error page's <title>) and what to try. */
export function explainError(error: ApiErrorInfo, reference: string): Explanation {
  return EXPLANATIONS[error.code](error, reference);
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

export function ErrorPanel({ error, reference, headingLevel = 2 }: { error: ApiErrorInfo; reference: string; headingLevel?: 1 | 2 }) {
  const { title, hint } = explainError(error, reference);
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <div role="alert" data-error-code={error.code} className="space-y-2 rounded-md border border-red-300 bg-red-50 p-4 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <Heading className="text-lg font-semibold">{title}</Heading>
      <p className="break-all font-mono text-sm">{reference}</p>
      <p className="text-sm">
        <VisibleText text={error.message} />
      </p>
      <p className="text-sm">{hint}</p>
      <p className="text-xs opacity-80">Error code {error.code}</p>
    </div>
  );
}
