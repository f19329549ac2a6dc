// HTCondor's own submit logic as a test oracle: the htcondor 23.x Python bindings turn a submit
// description into the job ClassAds condor_submit would make (no pool needed), or raise
// condor_submit's error. Kept apart from electron/batch/htcondor/bindings-check.ts on purpose, so
// the code under test is not its own judge. `requireHtcondorBindings()` skips with the reason
// where the bindings are missing, and fails under CI=true (CI installs them: see .ci/run).
import { execa } from 'execa';
import { isCi } from './engines';

const SCRIPT = String.raw`
import json, sys, warnings
warnings.simplefilter("ignore")
import htcondor
try:
    ads = [json.loads(ad.printJson()) for ad in htcondor.Submit(sys.stdin.read()).jobs(count=1)]
    print(json.dumps({"ok": True, "ads": ads}))
except Exception as error:
    print(json.dumps({"ok": False, "error": str(error).strip()}))
`;

export type JobAd = Record<string, unknown>;
export type SubmitOutcome = { ok: true; ads: JobAd[] } | { ok: false; error: string };

/** The job ads condor_submit would make of `text`, or HTCondor's error message. */
export async function submitToBindings(text: string): Promise<SubmitOutcome> {
  const result = await execa('python3', ['-c', SCRIPT], { input: text, reject: false, timeout: 60_000 });
  if (result.exitCode !== 0) throw new Error(`python3 failed (${result.exitCode}): ${result.stderr}`);
  return JSON.parse(result.stdout) as SubmitOutcome;
}

/** The first job ad, failing the test with HTCondor's words when it rejected the text. */
export async function firstJobAd(text: string): Promise<JobAd> {
  const outcome = await submitToBindings(text);
  if (!outcome.ok) throw new Error(`HTCondor rejected the submit file: ${outcome.error}\n${text}`);
  return outcome.ads[0]!;
}

export interface BindingsRequirement {
  skip: boolean;
  reason: string | null;
  version: string | null;
}

export async function requireHtcondorBindings(env: NodeJS.ProcessEnv = process.env): Promise<BindingsRequirement> {
  const probe = await execa('python3', ['-c', 'import warnings; warnings.simplefilter("ignore"); import htcondor; print(htcondor.version()); htcondor.Submit("queue").jobs'], {
    reject: false,
    timeout: 60_000,
  }).catch((error: unknown) => ({ exitCode: -1, stdout: '', stderr: String(error) }));
  if (probe.exitCode === 0) return { skip: false, reason: null, version: String(probe.stdout).trim() };
  const said = String(probe.stderr).trim().split('\n').pop() ?? '';
  const reason = `HTCondor's 23.x Python bindings are not usable with python3 (${said}); python3 -m pip install "htcondor<24"`;
  if (isCi(env)) throw new Error(`HTCondor's bindings are required on CI, but ${reason}`);
  console.warn(`skipping the HTCondor submit tests: ${reason}`);
  return { skip: true, reason, version: null };
}

/**
 * Splits a ClassAd Arguments or Environment value in HTCondor's "V2 raw" form (how condor_submit
 * stores the new syntax in the job ad, e.g. `a b' 'c "d"`): words separated by spaces or tabs,
 * single quotes grouping, '' inside them a literal single quote. Double quotes are ordinary there.
 */
export function splitV2Raw(raw: string): string[] {
  const words: string[] = [];
  let current: string | null = null;
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index]!;
    if (char === ' ' || char === '\t') {
      if (current !== null) words.push(current);
      current = null;
    } else if (char === "'") {
      current ??= '';
      // A quoted section: up to the next lone quote; '' stands for one quote.
      for (index += 1; index < raw.length; index += 1) {
        if (raw[index] === "'" && raw[index + 1] === "'") {
          current += "'";
          index += 1;
        } else if (raw[index] === "'") break;
        else current += raw[index];
      }
    } else current = (current ?? '') + char;
  }
  if (current !== null) words.push(current);
  return words;
}

/** A V2 raw Environment value as name → value. */
export function environmentOf(raw: string): Record<string, string> {
  return Object.fromEntries(
    splitV2Raw(raw).map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
