import { parseImageRef } from '../image/image-ref.js';
import { ModelCanaryError } from '../errors.js';
import { parseDuration } from './duration.js';
import { resolveInWorkspace, type PathKind } from './paths.js';
import { formatPath, type Problem } from './problem.js';
import { checkChartValueLimits } from './values-limits.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is schema-valid; fields are read by path */
type Doc = Record<string, any>;

/** What the section checks share: the problem list and the workspace-path check. */
interface Checker {
  add(path: (string | number)[], message: string): void;
  checkPath(path: (string | number)[], value: unknown, mustExist: boolean, kind: PathKind): void;
}

/**
 * Checks the schema cannot express: references parse, durations are positive, paths stay in the
 * workspace, and fields that only make sense together are set together. Runs on a schema-valid
 * document with defaults filled in. Resolved absolute paths are written to `resolved`.
 */
export function checkSemantics(doc: Doc, workspace: string, resolved: Map<string, string>): Problem[] {
  const problems: Problem[] = [];
  const add = (path: (string | number)[], message: string): void => {
    problems.push({ path, message: `${formatPath(path)}: ${message}` });
  };
  const checkPath = (path: (string | number)[], value: unknown, mustExist: boolean, kind: PathKind): void => {
    if (typeof value !== 'string') return;
    const result = resolveInWorkspace(workspace, value, { mustExist, kind });
    if ('problem' in result) add(path, result.problem);
    else resolved.set(formatPath(path), result.path);
  };
  const c: Checker = { add, checkPath };
  checkImage(c, doc);
  const scan = doc['scan'] as Doc;
  checkPath(['scan', 'ignoreFile'], scan['ignoreFile'], false, 'file');
  checkPath(['scan', 'sarif'], scan['sarif'], false, 'file');
  checkRender(c, doc['render'] as Doc);
  checkCanary(c, doc);
  checkSmoke(c, doc);
  return problems;
}

/** image and model: the repository parses without a tag, one way to build, the files it reads. */
function checkImage({ add, checkPath }: Checker, doc: Doc): void {
  const image = doc['image'] as Doc;
  try {
    const ref = parseImageRef(image['repository']);
    if (ref.tag || ref.digest) {
      add(
        ['image', 'repository'],
        `"${image['repository']}" carries a ${ref.digest ? 'digest' : 'tag'}; give the repository alone and put the tag in image.tag or the image-tag input`,
      );
    }
  } catch (err) {
    add(['image', 'repository'], err instanceof ModelCanaryError ? err.message.replace(/\.$/, '') : String(err));
  }
  const model = doc['model'] as Doc;
  if (image['dockerfile'] !== undefined && image['template'] !== undefined) {
    add(['image'], 'set either dockerfile (your own Dockerfile) or template, not both');
  }
  if (image['dockerfile'] === undefined && image['template'] === undefined) {
    if ((model['framework'] === 'sklearn' || model['framework'] === 'onnx') && model['artifact'] !== undefined) {
      image['template'] = model['framework'];
    } else {
      add(['image'], 'say how to build the image: set image.dockerfile to your Dockerfile, or image.template (sklearn or onnx) with model.artifact');
    }
  }
  if (image['template'] !== undefined && model['artifact'] === undefined) {
    add(['model', 'artifact'], `is required with image.template ${image['template']}; point it at the model file (for example model.joblib)`);
  }
  for (const key of Object.keys(image['buildArgs'] ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) add(['image', 'buildArgs', key], 'is not a valid build argument name; use letters, digits and _');
  }
  checkPath(['model', 'artifact'], model['artifact'], true, 'file');
  checkPath(['model', 'card'], model['card'], true, 'file');
  checkPath(['image', 'dockerfile'], image['dockerfile'], true, 'file');
  checkPath(['image', 'context'], image['context'], true, 'directory');
  checkPath(['image', 'wheelhouse'], image['wheelhouse'], true, 'directory');
  if (image['wheelhouse'] !== undefined && image['template'] === undefined) {
    add(['image', 'wheelhouse'], 'is only used with image.template; with your own Dockerfile, COPY the wheels in it');
  }
}

/** render: each mode's own field and no other's, the files it reads, the builtin chart's value limits. */
function checkRender({ add, checkPath }: Checker, render: Doc): void {
  const mode = render['mode'] as string;
  const needs: Record<string, string> = { chart: 'chart', kustomize: 'kustomize', manifests: 'manifests' };
  for (const [m, key] of Object.entries(needs)) {
    if (mode === m && render[key] === undefined) add(['render', key], `is required with render.mode ${m}`);
    if (mode !== m && render[key] !== undefined) add(['render', key], `is only used with render.mode ${m}; set render.mode: ${m} or remove it`);
  }
  if (typeof render['chart'] === 'string' && !render['chart'].startsWith('oci://')) {
    checkPath(['render', 'chart'], render['chart'], true, 'directory');
  }
  if (render['chartVersion'] !== undefined && !String(render['chart'] ?? '').startsWith('oci://')) {
    add(['render', 'chartVersion'], 'is only used with an oci:// chart; remove it for a chart in the workspace');
  }
  checkPath(['render', 'kustomize'], render['kustomize'], true, 'directory');
  (render['manifests'] as unknown[] | undefined)?.forEach((m, i) => checkPath(['render', 'manifests', i], m, true, 'any'));
  (render['valuesFiles'] as unknown[]).forEach((f, i) => checkPath(['render', 'valuesFiles', i], f, true, 'file'));
  checkPath(['render', 'output'], render['output'], false, 'file');
  if (mode === 'builtin' || mode === 'kserve') checkChartValueLimits(add, render['values'] as Doc);
}

/** canary: the strategy's own fields, its render mode, durations, steps and the analysis window. */
function checkCanary({ add }: Checker, doc: Doc): void {
  const mode = (doc['render'] as Doc)['mode'] as string;
  const canary = doc['canary'] as Doc;
  if (canary['strategy'] === 'traffic' && canary['gateway'] === undefined) {
    add(['canary', 'gateway'], 'is required with canary.strategy traffic; name the Gateway the HTTPRoute attaches to');
  }
  if (canary['strategy'] !== 'traffic' && canary['gateway'] !== undefined) {
    add(['canary', 'gateway'], 'is only used with canary.strategy traffic; remove it');
  }
  if (canary['strategy'] !== 'traffic' && canary['hostnames'] !== undefined) {
    add(['canary', 'hostnames'], 'is only used with canary.strategy traffic; remove it');
  }
  if ((canary['strategy'] === 'kserve') !== (mode === 'kserve')) {
    add(
      ['canary', 'strategy'],
      canary['strategy'] === 'kserve'
        ? 'kserve needs render.mode kserve (an InferenceService to set canaryTrafficPercent on)'
        : `${canary['strategy']} cannot canary an InferenceService; use canary.strategy kserve with render.mode kserve`,
    );
  }
  checkDuration(add, ['canary', 'readinessTimeout'], canary['readinessTimeout']);
  checkDuration(add, ['canary', 'lockTimeout'], canary['lockTimeout']);
  checkSteps(add, canary, doc['analysis'] as Doc | undefined);
  checkAnalysis(add, doc['analysis'] as Doc);
}

/** smoke: durations, the protocol's own settings, where the cases come from, ordered latency limits. */
function checkSmoke({ add, checkPath }: Checker, doc: Doc): void {
  const model = doc['model'] as Doc;
  const smoke = doc['smoke'] as Doc;
  for (const key of ['readyTimeout', 'requestTimeout', 'maxDuration']) checkDuration(add, ['smoke', key], smoke[key]);
  if (smoke['protocol'] === 'http' && smoke['http'] === undefined) {
    add(['smoke', 'http'], 'is required with smoke.protocol http; give at least path (for example /predict)');
  }
  if (smoke['protocol'] !== 'http' && smoke['http'] !== undefined) {
    add(['smoke', 'http'], `is only used with smoke.protocol http (the protocol is ${smoke['protocol']}); remove it`);
  }
  checkPath(['smoke', 'cases'], smoke['cases'], true, 'file');
  if (smoke['generateCases'] > 0 && model['card'] === undefined) {
    add(['smoke', 'generateCases'], 'needs model.card (the feature names come from the model card)');
  }
  if (smoke['enabled'] && smoke['cases'] === undefined && smoke['generateCases'] === 0) {
    add(['smoke'], 'has no cases: set smoke.cases to a cases file, or smoke.generateCases with model.card, or smoke.enabled: false');
  }
  const t = smoke['thresholds'] as Doc;
  const ordered: [string, number | undefined][] = [
    ['p50Ms', t['p50Ms']],
    ['p95Ms', t['p95Ms']],
    ['p99Ms', t['p99Ms']],
  ];
  const given = ordered.filter((e): e is [string, number] => e[1] !== undefined);
  for (let i = 1; i < given.length; i++) {
    const [lowName, low] = given[i - 1] as [string, number];
    const [highName, high] = given[i] as [string, number];
    if (low > high) add(['smoke', 'thresholds', highName], `${high} is below ${lowName} (${low}); a higher percentile needs an equal or higher limit`);
  }
}

/** canary.steps: strategy traffic only, strictly increasing, below 100 (100 is the promotion). */
function checkSteps(add: (p: (string | number)[], m: string) => void, canary: Doc, analysisDoc: Doc | undefined): void {
  const steps = canary['steps'] as number[] | undefined;
  if (steps === undefined) return;
  if (canary['strategy'] !== 'traffic') {
    add(
      ['canary', 'steps'],
      `need canary.strategy traffic (route weights to step through); with ${canary['strategy']} the canary's share is set by its pods, so remove canary.steps`,
    );
    return;
  }
  steps.forEach((step, i) => {
    const before = steps[i - 1];
    if (before !== undefined && step <= before)
      add(['canary', 'steps', i], `${step} does not increase on ${before}; list the weights in increasing order, each once (for example [10, 25, 50])`);
  });
  const last = steps[steps.length - 1];
  if (last === 100 && steps.length === 1)
    add(['canary', 'steps', 0], 'a single step of 100 sends everything to the canary before it is judged; start lower (for example [10, 50])');
  const analysis = analysisDoc ?? {};
  const duration = typeof analysis['duration'] === 'string' ? parseDuration(analysis['duration']) : undefined;
  if (duration === 0)
    add(['canary', 'steps'], 'need an analysis window to judge each step; set analysis.duration above 0s (for example 1m), or remove canary.steps');
}

/** analysis: the window's durations fit together. */
function checkAnalysis(add: (p: (string | number)[], m: string) => void, analysis: Doc): void {
  const duration = typeof analysis['duration'] === 'string' ? parseDuration(analysis['duration']) : undefined;
  const interval = typeof analysis['interval'] === 'string' ? parseDuration(analysis['interval']) : undefined;
  const max = typeof analysis['maxDuration'] === 'string' ? parseDuration(analysis['maxDuration']) : undefined;
  checkDuration(add, ['analysis', 'interval'], analysis['interval']);
  checkDuration(add, ['analysis', 'maxDuration'], analysis['maxDuration']);
  const HOUR = 3_600_000;
  if (duration !== undefined && duration > 6 * HOUR)
    add(['analysis', 'duration'], `${analysis['duration']} is over the 6h limit (a job runs at most 6 hours); use a shorter window`);
  if (max !== undefined && max > 6 * HOUR) add(['analysis', 'maxDuration'], `${analysis['maxDuration']} is over the 6h limit (a job runs at most 6 hours)`);
  if (duration !== undefined && duration > 0 && interval !== undefined && interval > duration) {
    add(['analysis', 'interval'], `${analysis['interval']} is longer than analysis.duration (${analysis['duration']}); use an interval of at most the window`);
  }
  const queries = (analysis['prometheus'] as Doc | undefined)?.['queries'];
  if (Array.isArray(queries)) {
    queries.forEach((q: Doc, i) => {
      if (q && typeof q === 'object' && q['max'] === undefined && q['min'] === undefined)
        add(
          ['analysis', 'prometheus', 'queries', i],
          `${String(q['name'])} has no threshold; give it max, min or both (a query without one could never fail the canary)`,
        );
    });
  }
  if (analysis['onInconclusive'] === 'extend' && duration !== undefined && max !== undefined && max < duration) {
    add(
      ['analysis', 'maxDuration'],
      `${analysis['maxDuration']} is shorter than analysis.duration (${analysis['duration']}); extend needs room to grow: make it longer than the window`,
    );
  }
}

function checkDuration(add: (p: (string | number)[], m: string) => void, path: (string | number)[], value: unknown): void {
  if (typeof value !== 'string') return;
  const ms = parseDuration(value);
  if (ms !== undefined && ms <= 0) add(path, `${JSON.stringify(value)} must be longer than zero`);
}
