// Pull commands with the names Docker prints (familiar names for docker.io): by tag, by the
// digest the page shows (an index's for every platform, a platform manifest's for its platform
// alone), per platform of an index, and pinned tag@digest.
import type { Group } from '@/lib/api/types';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { CopyButton } from '../ui/copy-button';

interface Command {
  label: string;
  command: string;
}

/** Named as the page names its digest (page-kind.ts). */
function byDigest(reference: Reference, group: Group): string {
  if (group.kind === 'index') return 'By index digest (this exact image, every platform)';
  if (group.kind === 'artifact') return 'By digest (this exact artifact)';
  if (reference.tag !== null) return 'By index digest (this exact image, its one platform)';
  return group.kind === 'manifest' ? 'By platform digest (this platform’s image only)' : 'By digest (this exact image)';
}

export function pullCommands(reference: Reference, group: Group): Command[] {
  const name = familiarName(reference.registry, reference.path);
  const commands: Command[] = [];
  if (reference.tag) commands.push({ label: 'By tag (moves when the tag moves)', command: `docker pull ${name}:${reference.tag}` });
  commands.push({ label: byDigest(reference, group), command: `docker pull ${name}@${group.digest}` });
  if (reference.tag) commands.push({ label: 'Pinned: tag for people, digest for the machine', command: `docker pull ${name}:${reference.tag}@${group.digest}` });
  if (group.kind === 'index') {
    for (const p of group.platforms) commands.push({ label: `Only ${p.platform}`, command: `docker pull ${name}@${p.digest}` });
  }
  return commands;
}

export function PullCommands({ reference, group }: { reference: Reference; group: Group }) {
  return (
    <ul className="space-y-2">
      {pullCommands(reference, group).map(({ label, command }) => (
        <li key={command} className="space-y-1">
          <p className="text-xs text-slate-600 dark:text-slate-400">{label}</p>
          <div className="flex items-center gap-2">
            <code className="block min-w-0 flex-1 break-all rounded bg-slate-100 px-2 py-1.5 font-mono text-xs dark:bg-slate-900">{command}</code>
            <CopyButton value={command} label={`Copy the command ${command}`} />
          </div>
        </li>
      ))}
    </ul>
  );
}
