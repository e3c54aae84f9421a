// Next runs this before every request it serves — pages, the API, the feed, /metrics, the
// health probes, static files — under `npm start` (scripts/server.mjs), the standalone build,
// and `next start` or `next dev` alike: the one place a Host name the server does not answer
// to is refused (lib/api/origin.ts says why), before any route reads its credentials.
import { NextResponse } from 'next/server';
import { hostRefusal } from '@/lib/api/host-refusal';
import { getServerConfig } from '@/lib/server/env';

export function proxy(request: Request): Response {
  return hostRefusal(request, getServerConfig()) ?? NextResponse.next();
}
