// A registry's own page (`/r/<host>`): its repositories from /v2/_catalog, or where a web API
// searches the registry (Docker Hub's, which has no catalog; TAGSCOPE_REGISTRY_APIS) a search
// and a namespace's listing. Server-rendered shell; the lists load in the browser.
import { Suspense } from 'react';
import type { RegistryPageAddress } from '@/lib/common/web-address';
import { ReferenceForm } from '../reference/reference-form';
import { CatalogView } from './catalog-view';
import { HubView } from './hub-view';

const HUB = 'docker.io';

export function registryTitle({ registry, namespace, q }: RegistryPageAddress, searchable: boolean): string {
  const name = registry === HUB ? 'Docker Hub' : registry;
  if (!searchable) return `Repositories of ${name}`;
  if (namespace) return `${namespace} on ${name}`;
  return q ? `${name} search: ${q}` : name;
}

/** `searchable`: the registry has a web API that searches it (Docker Hub's). */
export function RegistryPage({ address, searchable }: { address: RegistryPageAddress; searchable: boolean }) {
  const { registry } = address;
  const namespace = searchable ? address.namespace : null;
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">
          {namespace ? 'Namespace' : 'Registry'}
        </p>
        <h1 className="break-all font-mono text-2xl font-bold">{namespace ? `${registry}/${namespace}` : registry}</h1>
      </header>
      <Suspense>{searchable ? <HubView registry={registry} namespace={namespace} /> : <CatalogView registry={registry} />}</Suspense>
      <section aria-labelledby="open-heading" className="max-w-3xl space-y-2">
        <h2 id="open-heading" className="text-lg font-semibold">
          Open a repository
        </h2>
        <ReferenceForm initialValue={registry === HUB ? (namespace ? `${namespace}/` : '') : `${registry}/`} />
      </section>
    </div>
  );
}
