// Checks a submit description with HTCondor's own submit logic, without a pool: the htcondor 23.x
// Python bindings turn it into the job ClassAds condor_submit would send to the schedd
// (`htcondor.Submit(text).jobs()`), and raise condor_submit's own error when they would not
// ("I don't know about the 'containr' universe"). The 24+ `htcondor2` module cannot do this, and
// HTCondor's daemons cannot run here, so this is as far as a check goes on this machine.
import type { ExportCheck } from '../../../shared/batch-export';
import { runCli } from '../../engines/cli-runner';

/** Attributes of the first job ad shown in the dialog, in this order. */
const SHOWN_ATTRIBUTES = [
  'JobUniverse',
  'WantContainer',
  'ContainerImage',
  'ContainerImageSource',
  'Cmd',
  'Arguments',
  'Environment',
  'TransferInput',
  'TransferExecutable',
  'RequestCpus',
  'RequestMemory',
  'RequestGPUs',
  'Out',
  'Err',
  'UserLog',
  'Requirements',
] as const;

// The text comes on stdin; one JSON object goes to stdout. The first ad is returned whole, the
// others (queue N) only counted, and at most 1,000 are made: 10,000 take seconds, and the preview
// asks again at every change of the dialog.
const SCRIPT = String.raw`
import itertools, json, sys, warnings
warnings.simplefilter("ignore")
def answer(value):
    sys.stdout.write(json.dumps(value))
    sys.exit(0)
try:
    import htcondor
except Exception as error:
    answer({"status": "unavailable", "message": "import htcondor failed: %s" % error})
version = htcondor.version() if hasattr(htcondor, "version") else "unknown version"
if not hasattr(htcondor, "Submit") or not hasattr(htcondor.Submit, "jobs"):
    answer({"status": "unavailable", "version": version, "message": "these htcondor bindings have no Submit.jobs() (htcondor 24 and later dropped it)"})
text = sys.stdin.read()
try:
    first = None
    count = 0
    jobs = iter(htcondor.Submit(text).jobs(count=1))
    for ad in itertools.islice(jobs, 1000):
        if first is None:
            first = json.loads(ad.printJson())
        count += 1
    more = next(jobs, None) is not None
except Exception as error:
    answer({"status": "rejected", "version": version, "message": str(error).strip()})
answer({"status": "accepted", "version": version, "ad": first, "jobs": count, "more": more})
`;

export type BindingsAnswer =
  | { status: 'accepted'; version: string; ad: Record<string, unknown> | null; jobs: number; more: boolean }
  | { status: 'rejected'; version: string; message: string }
  | { status: 'unavailable'; version?: string; message: string };

export interface BindingsCheckOptions {
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The interpreter that has the bindings; default "python3" on the env's PATH. */
  python?: string;
}

const INSTALL_HINT = 'install them with: python3 -m pip install "htcondor<24"';

/** Runs HTCondor's submit logic on `text`. Never throws: a missing python or module is "unavailable". */
export async function submitWithBindings(text: string, options: BindingsCheckOptions): Promise<BindingsAnswer> {
  const python = options.python ?? 'python3';
  const outcome = await runCli(python, ['-c', SCRIPT], {
    env: { ...options.env, PYTHONIOENCODING: 'utf-8' },
    input: Buffer.from(text, 'utf8'),
    timeoutMs: 60_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (outcome.spawnError) return { status: 'unavailable', message: `${python} could not be started (${outcome.spawnError}); HTCondor's Python bindings need it` };
  if (outcome.timedOut || outcome.cancelled) return { status: 'unavailable', message: `HTCondor's bindings did not answer (${outcome.timedOut ? 'timed out' : 'cancelled'})` };
  try {
    const parsed = JSON.parse(outcome.stdout) as BindingsAnswer;
    if (parsed && typeof parsed === 'object' && typeof parsed.status === 'string') return parsed;
  } catch {
    // Falls through: python itself failed (a broken interpreter, a crash in the module).
  }
  const said = (outcome.stderr || outcome.stdout).trim().split('\n').slice(-3).join(' ').slice(0, 1000);
  return { status: 'unavailable', message: `${python} exited with ${outcome.exitCode ?? 'no code'} before answering: ${said || 'no output'}` };
}

/** The export dialog's line for this check. */
export async function checkSubmitFile(text: string, options: BindingsCheckOptions): Promise<ExportCheck> {
  const answer = await submitWithBindings(text, options);
  const checker = `HTCondor's submit logic (htcondor Python bindings${answer.version ? `, ${versionOf(answer.version)}` : ''})`;
  switch (answer.status) {
    case 'accepted':
      return {
        checker,
        outcome: 'passed',
        message: answer.more
          ? `Accepted: the first ${answer.jobs} of the jobs it queues were made and checked; the first has these attributes.`
          : `Accepted: condor_submit would queue ${answer.jobs} job${answer.jobs === 1 ? '' : 's'} with these attributes.`,
        details: shownAttributes(answer.ad ?? {}),
      };
    case 'rejected':
      return { checker, outcome: 'failed', message: answer.message, details: [] };
    case 'unavailable':
      return { checker, outcome: 'unavailable', message: `Not checked: ${answer.message}; ${INSTALL_HINT}`, details: [] };
  }
}

function shownAttributes(ad: Record<string, unknown>): ExportCheck['details'] {
  return SHOWN_ATTRIBUTES.filter((key) => key in ad).map((key) => ({ key, value: attributeText(ad[key]).slice(0, 4096) }));
}

/** ClassAd JSON writes expressions as "/Expr(...)/"; shown as the expression itself. */
function attributeText(value: unknown): string {
  if (typeof value === 'string') return /^\/Expr\((.*)\)\/$/s.exec(value)?.[1] ?? value;
  return JSON.stringify(value);
}

/** "$CondorVersion: 23.10.29 2025-09-23 ... $" → "23.10.29". */
function versionOf(version: string): string {
  return /(\d+\.\d+\.\d+)/.exec(version)?.[1] ?? version.slice(0, 64);
}
