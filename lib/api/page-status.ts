import 'server-only';
// A page answers with its own HTTP status: an error page with the status the API gives the same
// error (ERROR_STATUS: 404 for an unknown repository or tag, 400 for an invalid reference, 403
// for an address the policy refuses …), and still renders its own markup on the server.
//
// The App Router has no call for that. notFound(), forbidden() and unauthorized() cover 404,
// 403 and 401 only, and in Next 16.4 a page that calls them answers with an empty error shell
// (`<html id="__next_error__">`) that client JavaScript fills in (vercel/next.js#62228;
// getErrorRSCPayload in next/dist/server/app-render/app-render.js); a proxy's
// `NextResponse.rewrite(url, { status })` must decide before the page has asked the registry.
// So the production server (scripts/server.mjs) gives each request an id, in a header whose
// name is random per process, and a hook that sets that response's status while none of it has
// been sent. A page calls this once it knows its outcome and before it renders anything — no
// Suspense boundary above it has flushed — so the status goes out with the first byte. Without
// that server (`next dev`, `next start`) there is no hook, and pages answer 200.
import { headers } from 'next/headers';
import { getServerConfig } from '../server/env';
import { ERROR_STATUS } from './errors';
import type { ApiErrorInfo } from './types';

/** The global name of the hook scripts/server.mjs installs: (request id, status) => void. */
const HOOK = Symbol.for('tagscope.pageStatus');

/** Answers the page's request with the status the API gives `error`. */
export async function answerWithErrorStatus(error: ApiErrorInfo): Promise<void> {
  const { statusHeader } = getServerConfig();
  const hook: unknown = Reflect.get(globalThis, HOOK);
  if (!statusHeader || typeof hook !== 'function') return;
  const id = (await headers()).get(statusHeader);
  if (id) hook(id, ERROR_STATUS[error.code]);
}
