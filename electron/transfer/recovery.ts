// After a crash: a transfer whose record still says "running" was stopped in the middle by a
// Crossdock that was killed (SIGKILL, power cut), which could clean up nothing. The next start
// puts things right, in this order:
//   1. the processes its targets had started (udocker load, mksquashfs) are ended if they still
//      run, and waited for: they are orphans now, and one that went on after the clean-up could
//      still put a half-checked image into udocker's repository, or re-create a temporary folder.
//      A child is recorded a few milliseconds after it starts; one the crash left unrecorded is
//      still found when its command line names the transfer's staging folder (whose name holds
//      the transfer's random id), as udocker load's archive and mksquashfs's source folder do;
//   2. an image moved aside for its replacement is put back when the replacement did not get in,
//      and removed when it did;
//   3. what was recorded as a leftover (temporary folders, a name being loaded) is removed, and
//      the transfer's staging folder with it.
// The record then says "interrupted", with what was found.
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { TransferAside, TransferChild, TransferRecord, TransferTargetRecord } from '../../shared/transfer';
import { allProcStats, signalGroup, signalSession } from '../jobs/process/process-tree';
import { sameLiveProcess, startTimeOf, type ProcStat } from '../process/proc-stat';
import { pathExists } from '../storage/path-exists';
import { TEMP_PREFIX_MARK } from './endpoints/endpoint';

export interface TransferRecoveryDeps {
  /** The folder under the runtime folder that held the transfer's staging folders. */
  stagingRoot: string;
  log: (message: string) => void;
  /** How long to wait for a killed child to be gone (a process stuck on a dead disk may never go). */
  childTimeoutMs?: number;
}

/** What the record of a transfer that was running when Crossdock stopped becomes, once cleaned up. */
export async function recoverTransfer(record: TransferRecord, deps: TransferRecoveryDeps): Promise<TransferRecord> {
  const now = new Date().toISOString();
  const stopped = new Map<TransferTargetRecord, TransferChild[]>();
  for (const target of record.targets) stopped.set(target, await stopChildren(target.children, deps));
  const unrecorded = await stopChildren(await processesNaming(deps.stagingRoot), deps);
  // Targets run one at a time: an unrecorded child was the running target's.
  const running = record.targets.find((target) => target.state === 'running');
  if (running && unrecorded.length > 0) stopped.set(running, [...(stopped.get(running) ?? []), ...unrecorded]);
  const targets: TransferTargetRecord[] = [];
  for (const target of record.targets) {
    const asides = [];
    for (const aside of target.asides) asides.push({ aside, outcome: await settleAside(aside, deps.log) });
    // A leftover naming an image that was just put back is the user's image now, not a leftover.
    const restored = new Set(asides.filter((entry) => entry.outcome === 'restored').map((entry) => entry.aside.path));
    for (const path of target.leftovers) if (!restored.has(path)) await removeLeftover(path);
    const cleared = { ...target, leftovers: [], children: [], asides: [] };
    const unfinished = target.state === 'running' || target.state === 'pending';
    if (!unfinished) {
      targets.push(cleared);
      continue;
    }
    const replaced = asides.filter((entry) => entry.outcome === 'replaced');
    const words = [
      replaced.length > 0
        ? `Crossdock stopped during the transfer, just after the copy had replaced ${replaced.map((entry) => entry.aside.path).join(', ')}; the copy was kept there unchecked and the image it replaced was removed.`
        : 'Crossdock stopped during the transfer; what it had made of this copy was removed.',
      ...(stopped.get(target) ?? []).map((child) => `Its ${child.name} (process ${child.pid}) was still running and was stopped first.`),
      ...asides.filter((entry) => entry.outcome === 'restored').map((entry) => `The image it was replacing was put back in ${entry.aside.path}.`),
    ];
    targets.push({ ...cleared, state: 'interrupted', endedAt: now, message: words.join(' ') });
  }
  // The targets' staging folders were recorded one by one; the transfer's own folder that holds
  // them goes too (the transfer would have removed it at its end).
  await rm(deps.stagingRoot, { recursive: true, force: true }).catch(() => undefined);
  return { ...record, targets, state: 'interrupted', endedAt: now };
}

/**
 * Ends the recorded children still running (only those whose start time matches: a pid handed to
 * another process since is left alone), each with everything it started: udocker runs as the
 * leader of a session of its own (proot, runc, tar under it); mksquashfs alone. Resolves once they
 * are gone (or the wait ran out, logged). Answers the ones that were stopped.
 */
export async function stopChildren(children: TransferChild[], deps: Pick<TransferRecoveryDeps, 'log' | 'childTimeoutMs'>): Promise<TransferChild[]> {
  const stopped: TransferChild[] = [];
  for (const child of children) {
    const stat = await sameLiveProcess(child.pid, child.startedAt);
    if (!stat) continue;
    stopped.push(child);
    const kill = async () => {
      if (stat.session === stat.pid) await signalSession(stat.pid, 'SIGKILL');
      else if (stat.pgrp === stat.pid) signalGroup(stat.pid, 'SIGKILL');
      else killOne(stat.pid);
    };
    await kill();
    const deadline = Date.now() + (deps.childTimeoutMs ?? 30_000);
    // Re-sent while waiting: a member could have forked between the listing and the signal.
    while (await stillThere(stat, child)) {
      if (Date.now() > deadline) {
        deps.log(`transfer recovery: ${child.name} (process ${child.pid}) did not end after SIGKILL; cleaning up anyway`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      await kill();
    }
  }
  return stopped;
}

/** Live processes (not this one) with an argument that is `folder` or a path inside it. */
async function processesNaming(folder: string): Promise<TransferChild[]> {
  const found: TransferChild[] = [];
  for (const stat of await allProcStats()) {
    if (stat.pid === process.pid || stat.state === 'Z') continue;
    const args = (await readFile(`/proc/${stat.pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!args.some((arg) => arg === folder || arg.startsWith(`${folder}/`))) continue;
    const startedAt = await startTimeOf(stat);
    if (startedAt !== null) found.push({ pid: stat.pid, startedAt, name: stat.name });
  }
  return found;
}

/** The child itself, or (for a group or session leader) any live member of what it led. */
async function stillThere(leader: ProcStat, child: TransferChild): Promise<boolean> {
  if (await sameLiveProcess(child.pid, child.startedAt)) return true;
  if (leader.session !== leader.pid && leader.pgrp !== leader.pid) return false;
  // The leader is gone; its members carry its id as their session or group until they end.
  return (await allProcStats()).some(
    (stat) => stat.state !== 'Z' && stat.pid !== process.pid && (leader.session === leader.pid ? stat.session === leader.pid : stat.pgrp === leader.pid),
  );
}

function killOne(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/**
 * An image moved aside for its replacement. The replacement at `path` means it got in: the old
 * image goes. No replacement: the aside copy is the user's image and goes back. Nothing aside:
 * the crash came before the first rename (or after the old one was removed); nothing to do.
 */
export async function settleAside(aside: TransferAside, log: (message: string) => void): Promise<'restored' | 'replaced' | 'none'> {
  if (!(await pathExists(aside.aside))) return 'none';
  if (await pathExists(aside.path)) {
    await rm(aside.aside, { recursive: true, force: true });
    return 'replaced';
  }
  try {
    await rename(aside.aside, aside.path);
    return 'restored';
  } catch (error) {
    log(`transfer recovery: could not put ${aside.aside} back as ${aside.path}: ${(error as Error).message}; it is left where it is`);
    return 'none';
  }
}

/** A path, or a mkdtemp prefix ending in TEMP_PREFIX_MARK: every sibling starting with it goes. */
export async function removeLeftover(path: string): Promise<void> {
  if (!path.endsWith(TEMP_PREFIX_MARK)) {
    await rm(path, { recursive: true, force: true }).catch(() => undefined);
    return;
  }
  const folder = dirname(path);
  const prefix = basename(path).slice(0, -TEMP_PREFIX_MARK.length);
  // A prefix this short would match the user's own files: only Crossdock's ".NAME.crossdock-".
  if (!prefix.startsWith('.') || !prefix.endsWith('.crossdock-')) return;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (name.startsWith(prefix)) await rm(join(folder, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
