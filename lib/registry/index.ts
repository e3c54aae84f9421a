// lib/registry: a registry client for the OCI distribution API. Plain Node, no Next.js:
// scripts, tests and the app's server-only data layer all use it.

export * from './client';
export * from './credentials';
export * from './errors';
export * from './manifest';
export * from './media-types';
export * from './platform';
export * from './rate-limit';
export * from './reference';
export { parseChallenges, pickChallenge, type Challenge } from './challenge';
export { parseNextLink } from './link';
export { LIMITS } from './limits';
export { Budget, isBudgetEnd, type BudgetOptions } from './budget';
export {
  Transport,
  parseInsecureRegistries,
  REGISTRY_API_KINDS,
  type TransportOptions,
  type RequestEvent,
  type RegistryApi,
  type RegistryApiKind,
  type WebApiRequest,
  type WebApiResponse,
} from './transport';
export { DEFAULT_PULL_RESERVE, mayPull, parsePullReserve, PullBudget, reservedPulls, type PullReserve, type PullState } from './pull-budget';
export * from './image-config';
export { platformRow, walkIndex, type FetchedChild, type IndexWalk } from './index-walk';
export { resolveImage, type ImageSource, type ResolveOptions } from './resolve';
export { PriorityLimiter } from './limiter';
