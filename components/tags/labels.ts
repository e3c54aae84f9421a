// Words for what a group is, as people say them.
import type { Group } from '@/lib/api/types';
import { MediaType } from '@/lib/registry/media-types';

export function groupKindLabel(group: Pick<Group, 'kind' | 'mediaType' | 'artifactType'>): string {
  switch (group.kind) {
    case 'index':
      return group.mediaType === MediaType.DockerManifestList ? 'Docker manifest list' : 'OCI index';
    case 'manifest':
      return group.mediaType === MediaType.DockerManifest ? 'Single manifest (Docker)' : 'Single manifest (OCI)';
    case 'artifact':
      return `Artifact${group.artifactType ? ` (${group.artifactType})` : ''}`;
    case 'schema1':
      return 'Docker schema 1 (legacy)';
  }
}
