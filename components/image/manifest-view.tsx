// The raw manifest: the exact bytes received (pretty and raw), the response headers, the
// digest Tagscope computed from the bytes and whether it verified.
import type { ManifestResponse } from '@/lib/api/types';
import { describeMediaType } from '@/lib/registry/media-types';
import { Badge } from '../ui/badge';
import { CopyButton } from '../ui/copy-button';
import { JsonView, RawText, readJson } from './json-view';
import { VisibleText } from '../ui/visible-text';

const SHOWN_HEADERS = ['content-type', 'docker-content-digest', 'content-length', 'etag', 'docker-distribution-api-version', 'ratelimit-limit', 'ratelimit-remaining', 'warning'];

export function ManifestView({ manifest, repository }: { manifest: ManifestResponse; repository: string }) {
  const headers = SHOWN_HEADERS.filter((name) => manifest.headers[name] !== undefined);
  const reading = readJson(manifest.raw);
  const fullHref = `/api/v1/manifest?reference=${encodeURIComponent(`${repository}@${manifest.digest}`)}`;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Media type</dt>
        <dd className="break-all font-mono text-xs">
          <VisibleText text={manifest.mediaType} /> <span className="font-sans text-slate-600 dark:text-slate-400">({describeMediaType(manifest.mediaType)})</span>
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">Size</dt>
        <dd>{manifest.size.toLocaleString('en')} bytes</dd>
        <dt className="text-slate-600 dark:text-slate-400">Computed digest</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <code className="break-all font-mono text-xs">{manifest.digest}</code>
          <CopyButton value={manifest.digest} label={`Copy the computed digest ${manifest.digest}`} />
          {manifest.verified === true ? (
            <Badge tone="good" title="sha256 of the bytes received equals the digest asked for or the registry's Docker-Content-Digest">
              verified
            </Badge>
          ) : (
            <Badge tone="warn" title="The registry sent no digest to check the bytes against">
              not verified
            </Badge>
          )}
        </dd>
      </dl>
      {headers.length > 0 && (
        <table className="text-left text-sm">
          <caption className="mb-1 text-left text-xs font-medium uppercase text-slate-600 dark:text-slate-400">Response headers</caption>
          <tbody>
            {headers.map((name) => (
              <tr key={name}>
                <th scope="row" className="pr-4 align-top font-mono text-xs font-normal text-slate-600 dark:text-slate-400">
                  {name}
                </th>
                <td className="break-all font-mono text-xs">
                  <VisibleText text={manifest.headers[name]!} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reading.kind === 'tree' ? (
        <>
          <JsonView value={reading.value} repository={repository} label="The manifest, pretty-printed" />
          <details>
            <summary className="cursor-pointer text-sm">Raw bytes, exactly as received</summary>
            <div className="mt-2">
              <RawText text={manifest.raw} label="The manifest, exactly as received" fullHref={fullHref} testId="raw-manifest" />
            </div>
          </details>
        </>
      ) : (
        <div>
          <p role="note" className="mb-2 text-sm" data-testid="manifest-as-raw-text">
            {`The manifest is ${reading.reason} — shown as raw text, exactly as received.`}
          </p>
          <RawText text={manifest.raw} label="The manifest, exactly as received" fullHref={fullHref} testId="raw-manifest" />
        </div>
      )}
    </div>
  );
}
