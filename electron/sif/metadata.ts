// What Apptainer records about an image besides its files, made from Crossdock's ImageConfig the
// way Apptainer's own build from a Docker/OCI image records it (read in apptainer/apptainer:
// internal/pkg/build/sources/conveyorPacker_oci.go, base_environment.go, build/metadata.go,
// assemblers/sif.go; the scripts below are Crossdock's own, doing what the documented ones do):
//
//   inside the squashfs, /.singularity.d/
//     env/10-docker2singularity.sh   one `export` per Env entry (PATH set outright, others only
//                                    when the host left them unset: "${NAME:-"value"}")
//     env/01-base.sh, 90-environment.sh, 95-apps.sh, 99-base.sh, 99-runtimevars.sh  (base env)
//     runscript                      OCI_ENTRYPOINT / OCI_CMD, run like `docker run` would
//     actions/{exec,run,shell,start,test}, startscript, labels.json, Singularity (the def file)
//     libs/
//   at the root: singularity, .run, .exec, .shell, .test, environment (links into /.singularity.d)
//
//   in the SIF: a Deffile object, then GenericJSON objects named "inspect-metadata.json" (what
//   `apptainer inspect --all --json` answers) and "oci-config.json" (the image's OCI config), in
//   name order, then the squashfs partition. Crossdock adds a Labels object as well (siftool's
//   JSON.Labels), which Apptainer ignores and which lets SIF readers without the squashfs show them.
import type { ImageConfig } from '../transfer/image-config';

export const METADATA_DIR = '.singularity.d';
export const ENV_SCRIPT = `${METADATA_DIR}/env/10-docker2singularity.sh`;
export const INSPECT_METADATA_NAME = 'inspect-metadata.json';
export const OCI_CONFIG_NAME = 'oci-config.json';
/** What `apptainer run` runs: the environment scripts sourced, then the runscript. */
export const RUN_ACTION = `/${METADATA_DIR}/actions/run`;

/** Root-level links Apptainer's build makes (name → target), replaced when the root has them as links. */
export const ROOT_LINKS: Record<string, string> = {
  singularity: `${METADATA_DIR}/runscript`,
  '.run': `${METADATA_DIR}/actions/run`,
  '.exec': `${METADATA_DIR}/actions/exec`,
  '.test': `${METADATA_DIR}/actions/test`,
  '.shell': `${METADATA_DIR}/actions/shell`,
  environment: `${METADATA_DIR}/env/90-environment.sh`,
};

/** Apptainer's variableRegex: names it writes an export for; others are passed over. */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Inside double quotes: backslash, double quote, backtick and dollar escaped (Apptainer's shell.Escape). */
export function escapeDoubleQuoted(value: string): string {
  return value.replace(/[\\"`$]/g, (character) => `\\${character}`);
}

/** A single-quoted word's contents: each ' becomes '"'"' (Apptainer's shell.EscapeSingleQuotes). */
export function escapeSingleQuoted(value: string): string {
  return value.replaceAll("'", `'"'"'`);
}

/** `"a" "b c"`: each argument double-quoted and escaped, space-separated (shell.ArgsQuoted). */
export function argsQuoted(args: string[]): string {
  return args.map((arg) => `"${escapeDoubleQuoted(arg)}"`).join(' ');
}

export function envScript(env: string[]): { text: string; skipped: string[] } {
  const lines = ['#!/bin/sh'];
  const skipped: string[] = [];
  for (const entry of env) {
    const equals = entry.indexOf('=');
    const name = equals < 0 ? entry : entry.slice(0, equals);
    if (!ENV_NAME.test(name) || entry.includes('\n') || entry.includes('\0')) {
      skipped.push(name);
      continue;
    }
    if (equals < 0) lines.push(`export ${name}="\${${name}:-}"`);
    else if (name === 'PATH') lines.push(`export PATH="${escapeDoubleQuoted(entry.slice(equals + 1))}"`);
    else lines.push(`export ${name}="\${${name}:-"${escapeDoubleQuoted(entry.slice(equals + 1))}"}"`);
  }
  return { text: `${lines.join('\n')}\n`, skipped };
}

/**
 * The runscript: with no arguments, ENTRYPOINT followed by CMD; with arguments, ENTRYPOINT
 * followed by them (CMD replaced), as `docker run IMAGE ARGS` does. The OCI_ENTRYPOINT and OCI_CMD
 * lines are what Apptainer's own runscript starts with (and what Crossdock reads back). Unlike
 * Apptainer's default, arguments are never re-evaluated by the shell: they reach the program as
 * given (Apptainer's SINGULARITY_NO_EVAL behaviour).
 */
export function runscript(entrypoint: string[], cmd: string[]): string {
  const prepend = (args: string[]) =>
    args
      .slice()
      .reverse()
      .map((arg) => `  set -- '${escapeSingleQuoted(arg)}' "$@"\n`)
      .join('');
  return [
    '#!/bin/sh',
    `OCI_ENTRYPOINT='${escapeSingleQuoted(argsQuoted(entrypoint))}'`,
    `OCI_CMD='${escapeSingleQuoted(argsQuoted(cmd))}'`,
    '# Written by Crossdock: no arguments run ENTRYPOINT then CMD; arguments replace CMD.',
    'if [ $# -eq 0 ]; then',
    prepend(cmd).trimEnd() || '  :',
    'fi',
    prepend(entrypoint).trimEnd() || ':',
    'if [ $# -eq 0 ]; then',
    '  echo "This image has neither an entrypoint nor a command: give one." >&2',
    '  exit 1',
    'fi',
    'exec "$@"',
    '',
  ].join('\n');
}

/**
 * Sources the environment scripts in name order. When the folder cannot be listed the glob stays
 * as written: then the scripts Crossdock writes are sourced by name (seen with udocker's PRoot
 * modes here, whose `proot -k` makes every directory listing fail with EINVAL).
 */
const SOURCE_ENV = [
  'for script in /.singularity.d/env/*.sh; do',
  '  if [ -f "$script" ]; then',
  '    . "$script"',
  '  fi',
  'done',
  'if [ "$script" = "/.singularity.d/env/*.sh" ]; then',
  '  for script in 01-base 10-docker2singularity 90-environment 95-apps 99-base 99-runtimevars; do',
  '    if [ -f "/.singularity.d/env/$script.sh" ]; then',
  '      . "/.singularity.d/env/$script.sh"',
  '    fi',
  '  done',
  'fi',
  '',
].join('\n');

/** The action scripts and base environment scripts Apptainer's build puts in every image. */
export function baseFiles(workingDir: string | null): Record<string, string> {
  // The working directory has no place in Apptainer's layout (it starts in the caller's folder);
  // Crossdock's run action changes to it so that running the image behaves as it did in Docker.
  const cd = workingDir ? `cd '${escapeSingleQuoted(workingDir)}' 2>/dev/null || true\n` : '';
  return {
    [`${METADATA_DIR}/actions/exec`]: `#!/bin/sh\n${SOURCE_ENV}exec "$@"\n`,
    [`${METADATA_DIR}/actions/run`]:
      `#!/bin/sh\n${SOURCE_ENV}${cd}if test -x /.singularity.d/runscript; then\n  exec /.singularity.d/runscript "$@"\nfi\necho "No runscript found, running /bin/sh" >&2\nexec /bin/sh "$@"\n`,
    [`${METADATA_DIR}/actions/shell`]: `#!/bin/sh\n${SOURCE_ENV}if test -x /bin/bash; then\n  exec /bin/bash --norc "$@"\nfi\nexec /bin/sh "$@"\n`,
    [`${METADATA_DIR}/actions/start`]: `#!/bin/sh\nkill -CONT 1\n${SOURCE_ENV}if test -x /.singularity.d/startscript; then\n  exec /.singularity.d/startscript\nfi\n`,
    [`${METADATA_DIR}/actions/test`]: `#!/bin/sh\n${SOURCE_ENV}if test -x /.singularity.d/test; then\n  exec /.singularity.d/test "$@"\nfi\nexec /bin/sh -c true\n`,
    [`${METADATA_DIR}/env/01-base.sh`]: '#!/bin/sh\n',
    [`${METADATA_DIR}/env/90-environment.sh`]: '#!/bin/sh\n# Custom environment shell code should follow\n',
    [`${METADATA_DIR}/env/95-apps.sh`]: '#!/bin/sh\n',
    [`${METADATA_DIR}/env/99-base.sh`]:
      '#!/bin/sh\nif [ -z "${LD_LIBRARY_PATH:-}" ]; then\n  LD_LIBRARY_PATH="/.singularity.d/libs"\nelse\n  LD_LIBRARY_PATH="$LD_LIBRARY_PATH:/.singularity.d/libs"\nfi\nif [ -z "${PS1:-}" ]; then\n  PS1="Apptainer> "\nfi\nexport LD_LIBRARY_PATH PS1\n',
    [`${METADATA_DIR}/env/99-runtimevars.sh`]:
      '#!/bin/sh\nif [ -n "${SING_USER_DEFINED_PREPEND_PATH:-}" ]; then\n  PATH="${SING_USER_DEFINED_PREPEND_PATH}:${PATH}"\nfi\nif [ -n "${SING_USER_DEFINED_APPEND_PATH:-}" ]; then\n  PATH="${PATH}:${SING_USER_DEFINED_APPEND_PATH}"\nfi\nif [ -n "${SING_USER_DEFINED_PATH:-}" ]; then\n  PATH="${SING_USER_DEFINED_PATH}"\nfi\nunset SING_USER_DEFINED_PREPEND_PATH SING_USER_DEFINED_APPEND_PATH SING_USER_DEFINED_PATH\nexport PATH\n',
    [`${METADATA_DIR}/startscript`]: '#!/bin/sh\n',
  };
}

/** The definition file recorded for an image Crossdock made from files (Apptainer's "scratch" bootstrap). */
export function definitionFile(): string {
  return 'bootstrap: scratch\n\n';
}

/** Labels as Apptainer writes them: the image's own, plus the schema version its build adds. */
export function sifLabels(config: ImageConfig): Record<string, string> {
  return {
    ...config.labels,
    'org.label-schema.schema-version': config.labels['org.label-schema.schema-version'] ?? '1.0',
    'org.opencontainers.image.architecture': config.architecture,
    'org.label-schema.build-arch': config.architecture,
  };
}

/** The OCI config object Apptainer keeps as "oci-config.json" (go-containerregistry's v1.Config keys). */
export function ociConfig(config: ImageConfig): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  if (config.user) object['User'] = config.user;
  if (config.env.length > 0) object['Env'] = config.env;
  if (config.entrypoint && config.entrypoint.length > 0) object['Entrypoint'] = config.entrypoint;
  if (config.cmd && config.cmd.length > 0) object['Cmd'] = config.cmd;
  if (config.workingDir) object['WorkingDir'] = config.workingDir;
  if (Object.keys(config.labels).length > 0) object['Labels'] = config.labels;
  return object;
}

/** What `apptainer inspect --all --json` answers for the image (trailing newlines trimmed, as it does). */
export function inspectMetadata(files: { labels: Record<string, string>; runscript: string; envScript: string; environment: string; deffile: string }) {
  const trim = (text: string) => text.replace(/\n+$/, '');
  return {
    data: {
      attributes: {
        environment: {
          [`/${ENV_SCRIPT}`]: trim(files.envScript),
          [`/${METADATA_DIR}/env/90-environment.sh`]: trim(files.environment),
        },
        labels: files.labels,
        runscript: trim(files.runscript),
        deffile: trim(files.deffile),
      },
    },
    type: 'container',
  };
}
