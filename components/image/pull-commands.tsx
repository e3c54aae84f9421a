// Pull commands with the names Docker prints (familiar names for docker.io): by tag, by the
// index digest, per platform, and pinned tag@digest.
import type { Group } from '@/lib/api/types';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { CopyButton } from '../ui/copy-button';

interface Command {
  label: string;
  command: string;
}

export function pullCommands(reference: Reference, group: Group): Command[] {
  const name = familiarName(reference.registry, reference.path);
  const commands: Command[] = [];
  if (reference.tag) commands.push({ label: 'By tag (moves when the tag moves)', command: `docker pull ${name}:${reference.tag}` });
  commands.push({ label: 'By index digest (this exact image, every platform)', command: `docker pull ${name}@${group.digest}` });
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
