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

/** Web API base URLs the address policy refuses unless listed, by what they are; `port` is the emulator's. */
export const REFUSED_API_BASES: [string, (port: string) => string][] = [
  ['plain http to an address not listed', (port) => `http://127.0.0.1:${port}`],
  ['https to loopback not listed', (port) => `https://127.0.0.1:${port}`],
  ['localhost by name', (port) => `https://localhost:${port}`],
  ['a private address', () => 'https://10.1.2.3'],
  ['the metadata address', () => 'https://169.254.169.254'],
];
