// lib/quay: Quay's web API (/api/v1) on the registry client's transport. Plain Node, no Next.js.

export { QuayClient, quayRepositoryName, type QuayCallOptions, type QuayListOptions, type QuayRepositoryRef, type QuayTagList } from './client';
export type { QuayTag } from './schemas';
