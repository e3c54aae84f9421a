import { healthResponse } from '@/lib/api/probes';

export const dynamic = 'force-dynamic';

export const GET = healthResponse;
