// A transport whose web API for one registry (Docker Hub's, Quay's) is an emulator on loopback,
// listed as insecure, with every request it makes recorded.
import { Transport, type RegistryApiKind, type RequestEvent, type TransportOptions } from '@/lib/registry';

export function emulatedWebApi(
  registry: string,
  kind: RegistryApiKind,
  emulator: { url: string; host: string },
  options: TransportOptions & { baseUrl?: string } = {},
): { transport: Transport; events: RequestEvent[] } {
  const events: RequestEvent[] = [];
  const { baseUrl = emulator.url, ...rest } = options;
  const transport = new Transport({
    insecureRegistries: [emulator.host],
    registryApis: new Map([[registry, { kind, baseUrl: new URL(baseUrl) }]]),
    onRequest: (event) => events.push(event),
    ...rest,
  });
  return { transport, events };
}
