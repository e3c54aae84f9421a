// Image config blobs (image-spec config.md): their digest is the image ID `docker images`
// shows; they carry the platform, created date, history and rootfs.diff_ids.

import { RegistryError } from './errors';
import type { Platform } from './platform';
import { imageConfigSchema, type ImageConfig } from './schemas';

export type { ImageConfig };

export function parseImageConfig(bytes: Uint8Array, digest: string): ImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new RegistryError('UPSTREAM', `the config ${digest} is not JSON`);
  }
  const parsed = imageConfigSchema.safeParse(json);
  if (!parsed.success) throw new RegistryError('UPSTREAM', `the config ${digest} is not an image config`);
  return parsed.data;
}

export function platformFromConfig(config: ImageConfig): Platform | null {
  if (!config.os || !config.architecture) return null;
  return {
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
    ...(config['os.version'] ? { 'os.version': config['os.version'] } : {}),
  };
}
