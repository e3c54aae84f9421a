import 'server-only';
// `tags`: every tag a registry lists for a repository, signature tags included; names off the
// tag grammar are only counted.
import type { TagsResponse } from '../api/types';
import { getRegistryService } from './service';
import { parseRepository } from '../registry/reference';

export async function getTags(repositoryInput: string): Promise<TagsResponse> {
  const repo = parseRepository(repositoryInput);
  const list = await getRegistryService().listTags(repo);
  return { repository: repo.repository, tags: list.tags, truncated: list.truncated, truncatedBy: list.truncatedBy ?? null, invalidTags: list.invalidTags ?? 0 };
}
