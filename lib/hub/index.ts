// lib/hub: Docker Hub's web API on the registry client's transport. Plain Node, no Next.js.

export { HubClient, hubRepositoryName, type HubCallOptions, type HubRepositoryList, type HubRepositoryRef, type HubTagList, type HubTagOrdering, type HubTagPage } from './client';
export type { HubImage, HubRepository, HubTag } from './schemas';
