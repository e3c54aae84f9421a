// One platform's image config: what `docker inspect` shows — created, author, entrypoint,
// cmd, env, labels, ports, working dir, user — the history as Dockerfile-like steps with
// their layer sizes, and the layers with their compressed size, media type and diff_id.
import type { Descriptor, ImageConfig } from '@/lib/registry';
import { formatBytes } from '@/lib/repository-state';
import { referenceHref } from '@/lib/registry/reference';
import { DigestText } from '../tags/digest-text';

function step(createdBy: string | undefined): string {
  if (!createdBy) return '(no command recorded)';
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim();
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

export function ConfigView({ config, layers, repository }: { config: ImageConfig; layers: Descriptor[]; repository: string }) {
  const c = config.config ?? {};
  const diffIds = config.rootfs?.diff_ids ?? [];
  let layerIndex = 0;
  const history = config.history.map((h) => ({ ...h, layer: h.empty_layer ? null : (layers[layerIndex++] ?? null) }));
  const code = (value: string[] | null | undefined) => (value && value.length > 0 ? <code className="font-mono text-xs">{JSON.stringify(value)}</code> : '—');
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <Row label="Created">{config.created ?? '—'}</Row>
        <Row label="Author">{config.author ?? '—'}</Row>
        <Row label="Platform">{[config.os, config.architecture, config.variant].filter(Boolean).join('/') || '—'}</Row>
        <Row label="Entrypoint">{code(c.Entrypoint)}</Row>
        <Row label="Cmd">{code(c.Cmd)}</Row>
        <Row label="Working dir">{c.WorkingDir || '—'}</Row>
        <Row label="User">{c.User || '—'}</Row>
        <Row label="Exposed ports">{c.ExposedPorts ? Object.keys(c.ExposedPorts).join(', ') : '—'}</Row>
        <Row label="Env">
          {c.Env && c.Env.length > 0 ? (
            <ul className="font-mono text-xs">
              {c.Env.map((e) => (
                <li key={e} className="break-all">
                  {e}
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </Row>
        <Row label="Labels">
          {c.Labels && Object.keys(c.Labels).length > 0 ? (
            <ul className="font-mono text-xs">
              {Object.entries(c.Labels).map(([k, v]) => (
                <li key={k} className="break-all">
                  {k}={v}
                </li>
              ))}
            </ul>
          ) : (
            '—'
          )}
        </Row>
      </dl>
      <section aria-labelledby="history-heading" className="space-y-2">
        <h3 id="history-heading" className="font-semibold">
          History
        </h3>
        <ol className="space-y-1 text-sm">
          {history.map((h, i) => (
            <li key={i} className="flex flex-wrap items-baseline gap-x-3">
              <code className="min-w-0 flex-1 break-all font-mono text-xs">{step(h.created_by)}</code>
              <span className="text-xs text-slate-600 dark:text-slate-400">{h.layer ? formatBytes(h.layer.size) : 'empty layer'}</span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="layers-heading" className="space-y-2">
        <h3 id="layers-heading" className="font-semibold">
          Layers
        </h3>
        <div className="relative overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">#</th>
                <th scope="col" className="py-1 pr-3 font-medium">Layer digest</th>
                <th scope="col" className="py-1 pr-3 font-medium">Compressed</th>
                <th scope="col" className="py-1 pr-3 font-medium">Media type</th>
                <th scope="col" className="py-1 pr-3 font-medium">diff_id (uncompressed)</th>
              </tr>
            </thead>
            <tbody>
              {layers.map((layer, i) => (
                <tr key={`${layer.digest}-${i}`} className="border-t border-slate-200 dark:border-slate-700">
                  <td className="py-1.5 pr-3">{i + 1}</td>
                  <td className="py-1.5 pr-3">
                    <DigestText digest={layer.digest} label={`layer ${i + 1} digest`} href={referenceHref(`${repository}@${layer.digest}`)} />
                  </td>
                  <td className="py-1.5 pr-3 tabular-nums">{formatBytes(layer.size)}</td>
                  <td className="break-all py-1.5 pr-3 font-mono text-xs">{layer.mediaType}</td>
                  <td className="py-1.5 pr-3">{diffIds[i] ? <DigestText digest={diffIds[i]!} label={`layer ${i + 1} diff_id`} /> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
