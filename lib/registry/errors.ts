// The one error type of the registry client. Every failure the client can meet — bad input,
// a registry's refusal, an integrity failure, a network fault — is a RegistryError with a code
// from one table, so callers branch on `code` and never on message text.

export const REGISTRY_ERROR_CODES = [
  'INVALID_REFERENCE',
  'ADDRESS_NOT_ALLOWED',
  'UNAUTHORIZED',
  'DENIED',
  'NAME_UNKNOWN',
  'MANIFEST_UNKNOWN',
  'BLOB_UNKNOWN',
  'TOOMANYREQUESTS',
  /** The registry does not offer what was asked (its catalog: Docker Hub, ghcr.io …), said with what works there. */
  'UNSUPPORTED',
  /** Tagscope's own refusal: the GET would spend pulls it keeps for the address's `docker pull`s. */
  'PULL_RESERVE',
  'DIGEST_MISMATCH',
  'TOO_LARGE',
  'UPSTREAM',
  'TIMEOUT',
  'UNREACHABLE',
  /** The server's own configuration (an environment variable) is wrong: not a registry's doing. */
  'INVALID_CONFIGURATION',
] as const;

export type RegistryErrorCode = (typeof REGISTRY_ERROR_CODES)[number];

/** Numbers and facts a caller may show or act on; never credentials. */
export interface RegistryErrorDetails {
  /** HTTP status the registry answered with, when there was an answer. */
  status?: number;
  /** Seconds to wait, from the registry's Retry-After. */
  retryAfter?: number;
  ratelimitLimit?: number;
  ratelimitRemaining?: number;
  /** The registry's own error list (`{"errors":[…]}`), kept verbatim for display. */
  registryErrors?: { code: string; message?: string }[];
  [key: string]: unknown;
}

export class RegistryError extends Error {
  readonly code: RegistryErrorCode;
  readonly details: RegistryErrorDetails;

  constructor(
    code: RegistryErrorCode,
    message: string,
    details: RegistryErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RegistryError';
    this.code = code;
    this.details = details;
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  return error instanceof RegistryError && (code === undefined || error.code === code);
}
