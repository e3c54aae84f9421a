// zod schemas for everything a registry sends us. Untrusted JSON is parsed here, at the
// boundary; the rest of the client trusts the types these produce. Lenient where the specs
// are (unknown fields ignored, optional fields optional), strict where a wrong type would
// mislead (digests, sizes).

import { z } from 'zod';
import { CONTENT_DIGEST } from './reference';

const digest = z.string().regex(CONTENT_DIGEST, 'not a sha256 or sha512 digest');
const size = z.number().int().nonnegative();
const annotations = z.record(z.string(), z.string());

export const platformSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
  'os.features': z.array(z.string()).optional(),
});

export const descriptorSchema = z.object({
  mediaType: z.string(),
  digest,
  size,
  urls: z.array(z.string()).optional(),
  annotations: annotations.optional(),
  artifactType: z.string().optional(),
  platform: platformSchema.optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const indexSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  manifests: z.array(descriptorSchema).nullish().transform((m) => m ?? []),
  subject: descriptorSchema.optional(),
  annotations: annotations.optional(),
});

export const imageManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema).nullish().transform((l) => l ?? []),
  subject: descriptorSchema.optional(),
  annotations: annotations.optional(),
});

export const schema1Schema = z.object({
  schemaVersion: z.literal(1),
  name: z.string().optional(),
  tag: z.string().optional(),
  architecture: z.string().optional(),
  fsLayers: z.array(z.object({ blobSum: z.string() })).optional(),
  history: z.array(z.object({ v1Compatibility: z.string() })).optional(),
  signatures: z
    .array(z.object({ protected: z.string() }).loose())
    .optional(),
});

export const imageConfigSchema = z.object({
  architecture: z.string().optional(),
  os: z.string().optional(),
  variant: z.string().optional(),
  'os.version': z.string().optional(),
  created: z.string().optional(),
  author: z.string().optional(),
  config: z
    .object({
      User: z.string().optional(),
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      Env: z.array(z.string()).nullish(),
      Entrypoint: z.array(z.string()).nullish(),
      Cmd: z.array(z.string()).nullish(),
      Volumes: z.record(z.string(), z.unknown()).nullish(),
      WorkingDir: z.string().optional(),
      Labels: z.record(z.string(), z.string()).nullish(),
      StopSignal: z.string().optional(),
    })
    .nullish(),
  rootfs: z.object({ type: z.string(), diff_ids: z.array(z.string()).nullish().transform((d) => d ?? []) }).optional(),
  history: z
    .array(
      z.object({
        created: z.string().optional(),
        author: z.string().optional(),
        created_by: z.string().optional(),
        comment: z.string().optional(),
        empty_layer: z.boolean().optional(),
      }),
    )
    .nullish()
    .transform((h) => h ?? []),
});
export type ImageConfig = z.infer<typeof imageConfigSchema>;

export const tokenResponseSchema = z
  .object({
    token: z.string().min(1).optional(),
    access_token: z.string().min(1).optional(),
    expires_in: z.number().optional(),
    issued_at: z.string().optional(),
  })
  .refine((t) => t.token !== undefined || t.access_token !== undefined, 'the token response has neither token nor access_token');

/**
 * Google's tags/list adds a digest → details map (go-containerregistry pkg/v1/google/list.go).
 * Only what tag history reads is checked: a list of 10,000 tags carries 10,000 entries, and each
 * field checked costs the event loop (sizes and dates are shown from the manifests instead).
 */
const googleManifestInfo = z.object({
  mediaType: z.string().optional(),
  tag: z.array(z.string()).nullish(),
});

export const tagListSchema = z.object({
  name: z.string().optional(),
  tags: z.array(z.string()).nullish().transform((t) => t ?? []),
  manifest: z.record(z.string(), googleManifestInfo).optional(),
});

/** /v2/_catalog (distribution docs/spec/api.md "Listing Repositories"); a missing or null list is empty. */
export const catalogSchema = z.object({
  repositories: z.array(z.string()).nullish().transform((r) => r ?? []),
});

export const registryErrorBodySchema = z.object({
  errors: z.array(z.object({ code: z.string(), message: z.string().optional(), detail: z.unknown().optional() })),
});
