// @vitest-environment jsdom
// The image config view shows registry text with its bidi and control characters visible,
// and a bounded share of a config of any size, linking the rest.
import { cleanup, render, screen } from '@testing-library/react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigView } from '@/components/image/config-view';
import type { Descriptor, ImageConfig } from '@/lib/registry';

afterEach(cleanup);

const digest = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const layer = (n: number): Descriptor => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(n), size: 1000 + n });
const configHref = '/api/v1/config?reference=registry.test%2Fapp%40sha256%3A1';
const view = (config: ImageConfig, layers: Descriptor[] = [layer(1)]) => <ConfigView config={config} layers={layers} repository="registry.test/app" configHref={configHref} />;

describe('bidi and control characters in a config are shown, not obeyed', () => {
  const config: ImageConfig = {
    created: '2024-01-01T00:00:00Z\u200F',
    author: 'Mallory \u202Egro.elpmaxe@yrollam',
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/bin\u202E'],
      Cmd: ['/bin/sh', '-c', 'echo\u2066hi\u2069'],
      Entrypoint: ['/entry\u0085'],
      WorkingDir: '/app\u0008',
      User: 'root\u061C',
      Labels: { 'org.opencontainers.image.title\u202D': 'x\u202Ey' },
      ExposedPorts: { '80/tcp\u200E': {} },
    },
    rootfs: { type: 'layers', diff_ids: [] },
    history: [{ created_by: '/bin/sh -c #(nop) ADD file:\u202Eabc in /' }],
  };

  it.each([
    ['Created', 'U+200F right-to-left mark'],
    ['Author', 'U+202E right-to-left override'],
    ['Env', 'U+202E right-to-left override'],
    ['Cmd', 'U+2066 left-to-right isolate'],
    ['Entrypoint', 'U+0085 control character'],
    ['Working dir', 'U+0008 control character'],
    ['User', 'U+061C arabic letter mark'],
    ['Labels', 'U+202D left-to-right override'],
    ['Exposed ports', 'U+200E left-to-right mark'],
  ])('%s: %s', (row, name) => {
    render(view(config));
    const value = screen.getByText(row, { selector: 'dt' }).nextElementSibling!;
    expect(value.querySelector(`span[title="${name}"]`)).not.toBeNull();
    expect(value.textContent).not.toMatch(/[\u0000-\u0008\u0085\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
  });

  it('history steps', () => {
    render(view(config));
    const step = screen.getByText(/ADD file:/);
    expect(step.textContent).toBe('ADD file:\\u202Eabc in /');
    expect(step.querySelector('span[title="U+202E right-to-left override"]')).not.toBeNull();
  });
});

describe('a config of any size renders a bounded share', () => {
  it('an ordinary config is shown whole, without a note', () => {
    render(view({ architecture: 'amd64', os: 'linux', config: { Env: ['A=1'] }, history: [{ created_by: 'RUN true' }] }));
    expect(screen.queryByTestId('config-cut')).toBeNull();
  });

  it.each<[string, ImageConfig, Descriptor[]]>([
    ['100,000 env entries', { config: { Env: Array.from({ length: 100_000 }, (_, i) => `V${i}=<>`) }, history: [] }, [layer(1)]],
    ['100,000 labels', { config: { Labels: Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`l${i}`, '<'])) }, history: [] }, [layer(1)]],
    ['100,000 history steps', { history: Array.from({ length: 100_000 }, () => ({ created_by: 'RUN <' })) }, [layer(1)]],
    ['4 MiB of "<" in one label', { config: { Labels: { big: '<'.repeat(4 * 1024 * 1024) } }, history: [] }, [layer(1)]],
    ['20,000 layers', { history: [] }, Array.from({ length: 20_000 }, (_, i) => layer(i))],
  ])('%s: under 1 MB of HTML, with a note and a link to the whole config', (_, config, layers) => {
    const started = performance.now();
    const html = renderToStaticMarkup(view(config, layers));
    expect(html.length).toBeLessThan(1_000_000);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(html).toContain('Not all of this config is shown');
    expect(html).toContain(`href="${configHref.replaceAll('&', '&amp;')}"`);
  });
});
