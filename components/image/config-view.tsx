// One platform's image config: what `docker inspect` shows — created, author, entrypoint,
// cmd, env, labels, ports, working dir, user — the history as Dockerfile-like steps with
// their layer sizes, and the layers with their compressed size, media type and diff_id.
// A config is a stranger's text of up to 4 MiB: the view shows a bounded share of it
// (render-limits.ts), with bidi and control characters made visible, and links the rest.
import type { Descriptor, ImageConfig } from '@/lib/registry';
import { formatBytes } from '@/lib/common/format';
import { referenceHref } from '@/lib/common/routes';
import { DigestText } from '../tags/digest-text';
import { RENDER_LIMITS } from './render-limits';
import { VisibleText } from '../ui/visible-text';

function step(createdBy: string | undefined): string {
  if (!createdBy) return '(no command recorded)';
  return createdBy.replace(/^\/bin\/sh -c #\(nop\)\s*/, '').replace(/^\/bin\/sh -c /, 'RUN ').trim();
}

/** Hands out RENDER_LIMITS.configChars of text among the fields, in the order they are shown. */
function textBudget() {
  let left = RENDER_LIMITS.configChars;
  let cut = false;
  return {
    show(text: string) {
      let end = Math.max(0, Math.min(text.length, left));
      if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
      left -= end;
      cut ||= end < text.length;
      return <VisibleText text={end < text.length ? `${text.slice(0, end)}…` : text} />;
    },
    get cut() {
      return cut;
    },
  };
}

/** At most RENDER_LIMITS.listEntries of a list, and how many more there are. */
function head<T>(list: readonly T[]): { shown: readonly T[]; more: number } {
  return { shown: list.slice(0, RENDER_LIMITS.listEntries), more: Math.max(0, list.length - RENDER_LIMITS.listEntries) };
}

function More({ count }: { count: number }) {
  return count > 0 ? <li className="font-sans text-slate-600 dark:text-slate-400">… and {count.toLocaleString('en')} more</li> : null;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

export function ConfigView({ config, layers, repository, configHref }: { config: ImageConfig; layers: Descriptor[]; repository: string; configHref: string }) {
  const c = config.config ?? {};
  const diffIds = config.rootfs?.diff_ids ?? [];
  const text = textBudget();
  let layerIndex = 0;
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  const history = head(config.history.map((h) => ({ ...h, layer: h.empty_layer ? null : (layers[layerIndex++] ?? null) })));
  const env = head(c.Env ?? []);
  const labels = head(Object.entries(c.Labels ?? {}));
  const ports = head(Object.keys(c.ExposedPorts ?? {}));
  const shownLayers = head(layers);
  const code = (value: string[] | null | undefined) => (value && value.length > 0 ? <code className="font-mono text-xs">{text.show(JSON.stringify(value))}</code> : '—');
  const list = (items: readonly string[], more: number) =>
    items.length > 0 ? (
      <ul className="font-mono text-xs">
        {items.map((item, i) => (
          <li key={i} className="break-all">
            {text.show(item)}
          </li>
        ))}
        <More count={more} />
      </ul>
    ) : (
      '—'
    );
  // Built in the order shown, before the note at the end asks whether the text budget ran out.
  const facts = (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
      <Row label="Created">{config.created ? text.show(config.created) : '—'}</Row>
      <Row label="Author">{config.author ? text.show(config.author) : '—'}</Row>
      <Row label="Platform">{platform ? text.show(platform) : '—'}</Row>
      <Row label="Entrypoint">{code(c.Entrypoint)}</Row>
      <Row label="Cmd">{code(c.Cmd)}</Row>
      <Row label="Working dir">{c.WorkingDir ? text.show(c.WorkingDir) : '—'}</Row>
      <Row label="User">{c.User ? text.show(c.User) : '—'}</Row>
      <Row label="Exposed ports">{ports.shown.length > 0 ? text.show(ports.shown.join(', ') + (ports.more > 0 ? ` and ${ports.more} more` : '')) : '—'}</Row>
      <Row label="Env">{list(env.shown, env.more)}</Row>
      <Row label="Labels">{list(labels.shown.map(([k, v]) => `${k}=${v}`), labels.more)}</Row>
    </dl>
  );
  const steps = (
    <ol className="space-y-1 text-sm">
      {history.shown.map((h, i) => (
        <li key={i} className="flex flex-wrap items-baseline gap-x-3">
          <code className="min-w-0 flex-1 break-all font-mono text-xs">{text.show(step(h.created_by))}</code>
          <span className="text-xs text-slate-600 dark:text-slate-400">{h.layer ? formatBytes(h.layer.size) : 'empty layer'}</span>
        </li>
      ))}
      <More count={history.more} />
    </ol>
  );
  const layerRows = shownLayers.shown.map((layer, i) => (
    <tr key={`${layer.digest}-${i}`} className="border-t border-slate-200 dark:border-slate-700">
      <td className="py-1.5 pr-3">{i + 1}</td>
      <td className="py-1.5 pr-3">
        <DigestText digest={layer.digest} label={`layer ${i + 1} digest`} href={referenceHref(`${repository}@${layer.digest}`)} />
      </td>
      <td className="py-1.5 pr-3 tabular-nums">{formatBytes(layer.size)}</td>
      <td className="break-all py-1.5 pr-3 font-mono text-xs">{text.show(layer.mediaType)}</td>
      <td className="py-1.5 pr-3">{diffIds[i] ? <DigestText digest={diffIds[i]!} label={`layer ${i + 1} diff_id`} /> : '—'}</td>
    </tr>
  ));
  return (
    <div className="space-y-6">
      {facts}
      <section aria-labelledby="history-heading" className="space-y-2">
        <h3 id="history-heading" className="font-semibold">
          History
        </h3>
        {steps}
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
            <tbody>{layerRows}</tbody>
          </table>
        </div>
        {shownLayers.more > 0 && <p className="text-sm text-slate-600 dark:text-slate-400">… and {shownLayers.more.toLocaleString('en')} more</p>}
      </section>
      {(text.cut || [history, env, labels, ports, shownLayers].some((l) => l.more > 0)) && (
        <p role="note" className="text-sm text-slate-600 dark:text-slate-400" data-testid="config-cut">
          Not all of this config is shown: a page shows at most {RENDER_LIMITS.configChars / 1024} KiB of its text and {RENDER_LIMITS.listEntries} entries of each list.{' '}
          <a href={configHref} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
            The whole config, as JSON
          </a>
          .
        </p>
      )}
    </div>
  );
}
