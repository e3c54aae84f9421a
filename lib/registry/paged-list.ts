// One reader for the registry's Link-paged name lists — a repository's tags (tags/list) and
// the registry's repositories (_catalog) — so both page the same way: `n` on the first
// request, then each Link rel="next" followed verbatim, resolved against the request and kept
// on its scheme and host (ggcr validatePaginationURL); a page seen before ends the list.
// Pages, names, bytes and time are bounded, and what stopped a list is said in words. Names
// off the caller's grammar are counted and dropped, the rest de-duplicated and handed over a
// page at a time, so a caller can show the first page while the others arrive.
// Sources: docs/registry-protocol.md §3.1, §3.3, §10.3.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { z } from 'zod';
import { isRegistryError, RegistryError } from './errors';
import { parseNextLink } from './link';
import type { RegistryResponse, RequestKind, Transport } from './transport';

export interface NameListRequest<S extends z.ZodType> {
  registry: string;
  /** The repository a tag list belongs to, for the token scope; null for the catalog. */
  repository: string | null;
  kind: RequestKind;
  /** The first page, `n` included. */
  first: URL;
  /** A page's JSON, parsed at the boundary; a page that fails it is unreadable. */
  schema: S;
  names: (page: z.infer<S>) => string[];
  /** Is this name one to keep (the tag grammar, the repository grammar)? */
  valid: (name: string) => boolean;
  /** Words for messages: `tags` or `repositories`, `tag list` or `repository list`, and whose. */
  words: { items: string; list: string; owner: string };
  limits: { items: number; pages: number; bytes: number; pageBytes: number; deadlineMs: number };
  signal?: AbortSignal;
  priority?: number;
}

export interface NamePage<P> {
  /** This page's names that follow the grammar and were not listed before, in the registry's order. */
  names: string[];
  /** This page's names off the grammar. */
  invalid: number;
  page: P;
}

export interface NameListEnd {
  pages: number;
  /** Names kept, over all pages. */
  count: number;
  invalid: number;
  /** Why the list is incomplete, in words, when it is. */
  truncatedBy: string | null;
  /** The last name kept: where a listing that was cut short resumes (`last=`). */
  last: string | null;
}

/**
 * Reads every page of a name list. A failure of the first page is thrown; after it, running
 * out of time or bytes ends the list as truncated, and any other failure is thrown.
 */
export async function* readNameList<S extends z.ZodType>(transport: Transport, request: NameListRequest<S>): AsyncGenerator<NamePage<z.infer<S>>, NameListEnd> {
  const { limits, words, registry } = request;
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  const seen = new Set<string>();
  const seenPages = new Set<string>();
  const end: NameListEnd = { pages: 0, count: 0, invalid: 0, truncatedBy: null, last: null };
  let bytes = 0;
  let next: URL | null = request.first;
  while (next) {
    if (end.pages >= limits.pages) {
      end.truncatedBy = `the registry sent more than ${limits.pages} pages of ${words.items}`;
      break;
    }
    if (seenPages.has(next.href)) break; // a Link back to a page already read: the end.
    seenPages.add(next.href);
    let response: RegistryResponse;
    try {
      response = await transport.send({
        registry,
        repository: request.repository,
        method: 'GET',
        url: next,
        kind: request.kind,
        accept: 'application/json',
        maxBytes: Math.min(limits.pageBytes, limits.bytes - bytes),
        signal,
        priority: request.priority,
        describe: `the ${words.list} of ${words.owner}`,
      });
    } catch (error) {
      if (end.pages === 0 && refusedPageSize(error) && next.searchParams.has('n')) {
        // distribution 2.8's catalog refuses an `n` over its maxentries (400
        // PAGINATION_NUMBER_INVALID) where tags.maxtags clamps: ask again, and let it page.
        next = new URL(next);
        next.searchParams.delete('n');
        continue;
      }
      // Out of time or bytes after the first page: the names so far, said to be incomplete.
      if (request.signal?.aborted) throw error;
      const slow = deadline.aborted;
      const large = isRegistryError(error, 'TOO_LARGE') && limits.bytes - bytes < limits.pageBytes;
      if (slow && end.pages === 0) {
        throw new RegistryError('TIMEOUT', `listing the ${words.items} of ${words.owner} took longer than ${limits.deadlineMs / 1000} s`, { limit: limits.deadlineMs });
      }
      if (!(slow || large) || end.pages === 0) throw error;
      end.truncatedBy = slow ? `listing the ${words.items} took longer than ${limits.deadlineMs / 1000} s` : `the ${words.list} is larger than ${limits.bytes} bytes`;
      break;
    }
    end.pages++;
    bytes += response.body.length;
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new RegistryError('UPSTREAM', `${registry} sent a ${words.list} that is not JSON`, { status: response.status });
    }
    // Parsing and checking a page of megabytes each hold the event loop: not both at once.
    await yieldToLoop();
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) throw new RegistryError('UPSTREAM', `${registry} sent a ${words.list} Tagscope cannot read`, { status: response.status });
    const page: NamePage<z.infer<S>> = { names: [], invalid: 0, page: parsed.data };
    for (const name of request.names(parsed.data)) {
      if (!request.valid(name)) {
        page.invalid++;
        continue;
      }
      if (seen.has(name)) continue;
      if (seen.size >= limits.items) {
        end.truncatedBy = `the registry lists more than ${limits.items} ${words.items}`;
        break;
      }
      seen.add(name);
      page.names.push(name);
    }
    end.count = seen.size;
    end.invalid += page.invalid;
    end.last = page.names.at(-1) ?? end.last;
    yield page;
    if (end.truncatedBy) break;
    next = nextPage(response.headers.get('link'), response.url, registry);
  }
  return end;
}

function refusedPageSize(error: unknown): boolean {
  return isRegistryError(error) && error.details.status === 400 && (error.details.registryErrors ?? []).some((e) => e.code === 'PAGINATION_NUMBER_INVALID');
}

/** Resolves a Link target against the request; it must stay on the registry's host (ggcr validatePaginationURL). */
function nextPage(link: string | null, requestUrl: URL, registry: string): URL | null {
  const target = parseNextLink(link);
  if (!target) return null;
  let next: URL;
  try {
    next = new URL(target, requestUrl);
  } catch {
    throw new RegistryError('UPSTREAM', `${registry} sent a Link header that is not a URL`);
  }
  if (next.protocol !== requestUrl.protocol || next.host !== requestUrl.host) {
    throw new RegistryError('ADDRESS_NOT_ALLOWED', `${registry} sent a next-page link to another host (${next.host}); it was not followed`, {
      host: next.host,
    });
  }
  return next;
}
