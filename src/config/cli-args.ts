import { parseArgs } from 'node:util';
import { userError } from '../errors.js';
import { COMMANDS } from './types.js';
import { DEFAULT_INPUTS, type RawInputs } from './inputs.js';

export const CLI_USAGE = `Usage: model-canary <command> [options]

Commands: ${COMMANDS.join(', ')}
  plan      check the config and print what a release would do, changing nothing

Options:
  --config FILE        model file (default model-canary.yaml)
  --set PATH=VALUE     override a value of the model file (repeatable), e.g. --set canary.weight=20
  --image-tag TAG      tag to build and push (default: the commit SHA)
  --namespace NS       namespace to deploy to
  --environment NAME   environment name recorded with the release
  --revision REV       revision for rollback (default previous)
  --image REPO@DIGEST  release (or render, deploy) this built and scanned image: no build, no scan
  --expect-digest SHA  promote: refuse unless the held canary runs this digest (sha256:...)
  --expect-revision N  promote: refuse unless the held release is this revision
  --workspace DIR      folder every config path must stay inside (default: the current folder)
  --debug              print debug lines and stack traces
  -h, --help           show this help

Progress goes to stderr; the outputs are printed as JSON on stdout.`;

export interface CliArgs {
  inputs: RawInputs;
  workspace?: string;
  debug: boolean;
  help: boolean;
}

/** Parses the CLI's argv into the same raw inputs the action reads. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        set: { type: 'string', multiple: true },
        'image-tag': { type: 'string' },
        namespace: { type: 'string' },
        environment: { type: 'string' },
        revision: { type: 'string' },
        image: { type: 'string' },
        'expect-digest': { type: 'string' },
        'expect-revision': { type: 'string' },
        workspace: { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw userError(err instanceof Error ? err.message : String(err), 'Run model-canary --help for the options.');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw userError(`Expected one command, got ${positionals.join(' ')}.`, 'Run model-canary --help for the commands.');
  }
  const result: CliArgs = {
    inputs: {
      command: positionals[0] ?? '',
      config: values.config ?? DEFAULT_INPUTS.config,
      imageTag: values['image-tag'] ?? '',
      namespace: values.namespace ?? '',
      environment: values.environment ?? '',
      revision: values.revision ?? DEFAULT_INPUTS.revision,
      set: values.set ?? [],
      image: values.image ?? '',
      // Credentials never come from argv: the CLI uses KUBECONFIG as kubectl does, and records no
      // GitHub Deployment (that is the action's, with its github-token input).
      kubeconfig: '',
      githubToken: '',
      expectDigest: values['expect-digest'] ?? '',
      expectRevision: values['expect-revision'] ?? '',
    },
    debug: values.debug ?? false,
    help: values.help ?? false,
  };
  if (values.workspace !== undefined) result.workspace = values.workspace;
  return result;
}
