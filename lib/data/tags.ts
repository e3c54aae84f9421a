import 'server-only';
// `tags`: every tag a registry lists for a repository, signature tags included; names off the
// tag grammar are only counted.
import type { TagsResponse } from '../api/types';
import { getRegistryService } from './service';
import type { Reference } from '../registry/reference';

/** Every tag of the repository a parsed reference names (its tag or digest, if any, aside). */
export async function getTags(repo: Reference): Promise<TagsResponse> {
  const list = await getRegistryService().listTags(repo);
  return { repository: repo.repository, tags: list.tags, truncated: list.truncated, truncatedBy: list.truncatedBy ?? null, invalidTags: list.invalidTags ?? 0 };
}
