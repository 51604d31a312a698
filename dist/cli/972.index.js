export const id = 972;
export const ids = [972];
export const modules = {

/***/ 45972:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildImage: () => (/* binding */ buildImage),
  formatImageRef: () => (/* reexport */ image_ref/* formatImageRef */.kL),
  parseImageRef: () => (/* reexport */ image_ref/* parseImageRef */.Q),
  pinnedByDigest: () => (/* reexport */ image_ref/* pinnedByDigest */.MC),
  repositoryOf: () => (/* reexport */ image_ref/* repositoryOf */._M)
});

// EXTERNAL MODULE: ./src/errors.ts
var src_errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/tools/resolve.ts + 3 modules
var resolve = __webpack_require__(85291);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/config/contained.ts
var contained = __webpack_require__(53967);
// EXTERNAL MODULE: ./src/tools/assets.ts
var assets = __webpack_require__(55482);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
;// CONCATENATED MODULE: ./src/image/dockerignore.ts


/**
 * What a build leaves out of its context, read as Docker reads it: `<Dockerfile>.dockerignore` beside the
 * Dockerfile when there is one, else the context's .dockerignore. Returns a test for a path relative to the
 * context (with /): true when Docker would not send it. Without a file, nothing is left out.
 */
function dockerignoreFilter(context, dockerfile) {
    const file = [`${dockerfile}.dockerignore`, external_node_path_default().join(context, '.dockerignore')].find((f) => (0,external_node_fs_.existsSync)(f));
    const rules = file === undefined ? [] : parseDockerignore((0,external_node_fs_.readFileSync)(file, 'utf8'));
    const hasExceptions = rules.some((r) => r.exception);
    // A folder left out may still hold a file a `!` line brings back: then it is looked into, file by file.
    return (relative, isDirectory) => ignored(rules, relative) && !(isDirectory && hasExceptions);
}
function parseDockerignore(text) {
    const rules = [];
    for (const raw of text.split(/\r?\n/)) {
        let line = raw.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const exception = line.startsWith('!');
        if (exception)
            line = line.slice(1).trim();
        let cleaned = external_node_path_default().posix.normalize(line);
        if (cleaned.length > 1 && cleaned.startsWith('/'))
            cleaned = cleaned.slice(1);
        if (cleaned.endsWith('/') && cleaned.length > 1)
            cleaned = cleaned.slice(0, -1);
        rules.push({ pattern: toRegExp(cleaned), exception });
    }
    return rules;
}
/** The last rule that matches the path, or one of its parent folders, decides. */
function ignored(rules, relative) {
    const parents = relative.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let result = false;
    for (const rule of rules) {
        if (parents.some((p) => rule.pattern.test(p)))
            result = !rule.exception;
    }
    return result;
}
/** Go's filepath.Match syntax plus `**` (any number of folders), as Docker's pattern matcher reads it. */
function toRegExp(pattern) {
    let out = '';
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === '*') {
            if (pattern[i + 1] === '*') {
                i++;
                if (pattern[i + 1] === '/')
                    i++;
                out += i + 1 >= pattern.length ? '.*' : '(.*/)?';
            }
            else {
                out += '[^/]*';
            }
        }
        else if (ch === '?') {
            out += '[^/]';
        }
        else if (ch === '[') {
            const end = pattern.indexOf(']', i + 1);
            if (end === -1) {
                out += '\\[';
            }
            else {
                // Go's classes: [a-z], [^a-z] (no [!a-z]), which a regular expression reads the same way.
                out += `[${pattern.slice(i + 1, end)}]`;
                i = end;
            }
        }
        else if (ch === '\\' && i + 1 < pattern.length) {
            out += dockerignore_escape(pattern[i + 1]);
            i++;
        }
        else {
            out += dockerignore_escape(ch);
        }
    }
    return new RegExp(`^${out}$`);
}
function dockerignore_escape(ch) {
    return /[.+^${}()|[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}

;// CONCATENATED MODULE: ./src/image/context.ts






/**
 * The user's own Dockerfile and context as they are; or, for "bring only your model", a fresh folder with
 * model-canary's template and the model, nothing else:
 *
 *   Dockerfile                     templates/docker/ (one for every template)
 *   requirements.txt               templates/docker/<template>/
 *   tools/                         templates/docker/tools/ (the build stage's scripts)
 *   server/serve.py, model_server/ templates/docker/server/ (the one model server, for every template; not
 *                                  its tests)
 *   model/<artifact>               model.artifact, and model/model-card.json when model.card is set
 *   wheels/                        the *.whl files of image.wheelhouse, or empty
 */
async function prepareBuildContext(config) {
    const { image, model } = config;
    const workspace = config.run.workspace;
    if (image.dockerfile) {
        (0,contained/* containedFile */.or)(workspace, image.dockerfile, 'image.dockerfile');
        // Only what Docker would send is checked: a local .venv's links to the system Python are left out by
        // .dockerignore, as they are from the build.
        (0,contained/* assertTreeContained */.CU)(workspace, image.context, 'image.context', {
            skip: dockerignoreFilter(image.context, image.dockerfile),
            fix: 'Replace the symlink with the file itself, keep what it points to inside the repository, or leave it out of the build in .dockerignore (a local virtualenv such as .venv/ is the usual case).',
        });
        return { dockerfile: image.dockerfile, context: image.context, buildArgs: {} };
    }
    const template = image.template ?? 'sklearn';
    const artifact = model.artifact;
    if (!artifact)
        throw new Error('internal: a template build without model.artifact passed validation');
    if (!image.buildArgs['BASE_IMAGE']) {
        throw (0,src_errors/* userError */.IF)(`The ${template} template needs a base image: image.buildArgs has no BASE_IMAGE.`, `Set image.buildArgs.BASE_IMAGE to an image with python3 and numpy, ${template === 'onnx' ? 'onnxruntime' : 'scikit-learn, joblib'}, fastapi and uvicorn, or with pip to install what it lacks (see templates/docker/README.md).`);
    }
    const templates = external_node_path_default().join((0,assets/* assetRoot */.B)(), 'templates', 'docker');
    const dir = await (0,promises_.mkdtemp)(external_node_path_default().join(config.run.tempDir, `model-canary-build-${model.name}-`));
    await (0,promises_.copyFile)(external_node_path_default().join(templates, 'Dockerfile'), external_node_path_default().join(dir, 'Dockerfile'));
    await (0,promises_.copyFile)(external_node_path_default().join(templates, template, 'requirements.txt'), external_node_path_default().join(dir, 'requirements.txt'));
    await (0,promises_.cp)(external_node_path_default().join(templates, 'tools'), external_node_path_default().join(dir, 'tools'), { recursive: true });
    await (0,promises_.mkdir)(external_node_path_default().join(dir, 'server'));
    await (0,promises_.copyFile)(external_node_path_default().join(templates, 'server', 'serve.py'), external_node_path_default().join(dir, 'server', 'serve.py'));
    await (0,promises_.cp)(external_node_path_default().join(templates, 'server', 'model_server'), external_node_path_default().join(dir, 'server', 'model_server'), {
        recursive: true,
        filter: (src) => !/(^|[\\/])__pycache__([\\/]|$)|\.pyc$/.test(src),
    });
    await (0,promises_.mkdir)(external_node_path_default().join(dir, 'model'));
    await (0,promises_.copyFile)((0,contained/* containedFile */.or)(workspace, artifact, 'model.artifact'), external_node_path_default().join(dir, 'model', external_node_path_default().basename(artifact)));
    if (model.card)
        await (0,promises_.copyFile)((0,contained/* containedFile */.or)(workspace, model.card, 'model.card'), external_node_path_default().join(dir, 'model', 'model-card.json'));
    await (0,promises_.mkdir)(external_node_path_default().join(dir, 'wheels'));
    if (image.wheelhouse) {
        (0,contained/* containedFile */.or)(workspace, image.wheelhouse, 'image.wheelhouse');
        // Regular files only: a symlinked wheel is not copied.
        const wheels = (await (0,promises_.readdir)(image.wheelhouse, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.whl'));
        for (const wheel of wheels)
            await (0,promises_.copyFile)(external_node_path_default().join(image.wheelhouse, wheel.name), external_node_path_default().join(dir, 'wheels', wheel.name));
    }
    const buildArgs = {
        MODEL_TEMPLATE: template,
        MODEL_FILE: external_node_path_default().basename(artifact),
        MODEL_NAME: model.name,
        MODEL_VERSION: model.version,
    };
    return { dockerfile: external_node_path_default().join(dir, 'Dockerfile'), context: dir, buildArgs };
}

;// CONCATENATED MODULE: ./src/image/argv.ts
/** The docker argv for a build, as an array (never a shell string). */
function buildArgv(plan) {
    const args = plan.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
    args.push('--file', plan.dockerfile);
    for (const tag of plan.tags)
        args.push('--tag', tag);
    for (const [key, value] of Object.entries(plan.labels))
        args.push('--label', `${key}=${value}`);
    for (const [key, value] of Object.entries(plan.buildArgs))
        args.push('--build-arg', `${key}=${value}`);
    if (plan.builder === 'buildx') {
        // Loaded into the engine so the guards read the image before anything is pushed. The docker driver
        // keeps layer cache inside the image (inline); the next build imports it from the pushed tag.
        args.push('--load', '--provenance=false', '--cache-to', 'type=inline');
        if (plan.cacheFrom)
            args.push('--cache-from', `type=registry,ref=${plan.cacheFrom}`);
    }
    args.push(plan.context);
    return args;
}

;// CONCATENATED MODULE: ./src/image/docker.ts


/** buildx when the docker CLI has the plugin (GitHub's runners do), else the legacy builder. */
async function detectBuilder(exec, docker) {
    const result = await exec(docker, ['buildx', 'version'], { allowFailure: true, timeoutMs: 30_000 });
    return result.exitCode === 0 ? 'buildx' : 'legacy';
}
async function registryLogin(exec, docker, registry, auth) {
    await exec(docker, ['login', registry, '--username', auth.username, '--password-stdin'], {
        stdin: auth.password,
        secrets: [auth.password],
        timeoutMs: 120_000,
        failureHint: `Check MODEL_CANARY_REGISTRY_USERNAME and MODEL_CANARY_REGISTRY_PASSWORD for ${registry}.`,
    });
}
/** Runs the build, echoing docker's progress lines to the log as they come. */
async function runBuild(exec, docker, plan, logger) {
    const progress = (line) => {
        if (line.trim() !== '')
            logger.info(line);
    };
    await exec(docker, buildArgv(plan), {
        echo: true,
        timeoutMs: 60 * 60_000,
        onStdoutLine: progress,
        onStderrLine: progress,
        // BuildKit's plain progress is readable in a CI log; the legacy builder ignores it.
        env: { BUILDKIT_PROGRESS: 'plain' },
        failureHint: 'The Dockerfile failed to build; the lines above show the failing step.',
    });
}
/** Pushes each tag and returns the digest the registry gave the image. */
async function pushImage(exec, docker, tags, repository) {
    for (const tag of tags) {
        await exec(docker, ['push', tag], {
            timeoutMs: 30 * 60_000,
            failureHint: `Could not push to ${repository}: check that the registry is reachable and that you are logged in.`,
        });
    }
    const first = tags[0] ?? repository;
    const inspect = await exec(docker, ['image', 'inspect', '--format', '{{json .RepoDigests}}', first]);
    const digests = JSON.parse(inspect.stdout) ?? [];
    const pinned = digests.find((d) => d.startsWith(`${repository}@`));
    const digest = pinned?.slice(repository.length + 1);
    if (!digest) {
        throw new src_errors/* ModelCanaryError */.Md('command', `The registry returned no digest for ${first} (RepoDigests: ${inspect.stdout.trim()}).`);
    }
    return digest;
}

;// CONCATENATED MODULE: ./src/image/config-guard.ts
const VALUE_SHAPES = [
    ['an AWS access key id', /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/],
    ['a GitHub token', /\bgh[pousr]_[A-Za-z0-9]{36,}/],
    ['a GitHub token', /\bgithub_pat_[A-Za-z0-9_]{22,}/],
    ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
    ['a Slack token', /\bxox[baprs]-[A-Za-z0-9-]{10,}/],
    ['a Hugging Face token', /\bhf_[A-Za-z0-9]{30,}/],
    ['an npm token', /\bnpm_[A-Za-z0-9]{36}/],
    ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}/],
    ['a Stripe secret key', /\b[rs]k_live_[0-9A-Za-z]{16,}/],
    ['an OpenAI or Anthropic API key', /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}/],
    ['a private key', /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/],
    ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
    // user:password@ in a URL; a password that is a $VAR reference is left to the shell at run time.
    ['a URL with a password', /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:(?!\$)[^\s@/'"]+@/i],
];
const SECRET_WORDS = new Set([
    'SECRET',
    'SECRETS',
    'PASSWORD',
    'PASSWORDS',
    'PASSWD',
    'PASSPHRASE',
    'TOKEN',
    'TOKENS',
    'CREDENTIAL',
    'CREDENTIALS',
    'CREDS',
    'APIKEY',
    'PRIVATEKEY',
]);
const SECRET_LAST_WORDS = new Set(['KEY', 'AUTH', 'PASS', 'PWD']);
const PUBLIC_WORDS = new Set(['GPG', 'PGP', 'GNUPG', 'FINGERPRINT', 'PUBLIC', 'PUB', 'PUBKEY', 'KEYRING', 'KEYSERVER', 'KEYID']);
const POINTER_LAST_WORDS = new Set([
    'FILE',
    'FILES',
    'PATH',
    'DIR',
    'URL',
    'URI',
    'HOST',
    'PORT',
    'ENDPOINT',
    'NAME',
    'ID',
    'IDS',
    'ENABLED',
    'DISABLED',
    'HEADER',
    'TYPE',
    'LENGTH',
    'TTL',
    'EXPIRY',
    'TIMEOUT',
    'REGION',
    'VERSION',
    'SHA',
    'SHA256',
    'SHA512',
    'HASH',
    'CHECKSUM',
    'MODE',
    'SIZE',
]);
const TRIVIAL_WORDS = /^(true|false|yes|no|on|off|none|null|nil|unset|changeme|change[-_]me|replace[-_]?me|placeholder|example|dummy|todo|redacted)$/i;
function words(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter(Boolean);
}
function secretName(name) {
    const w = words(name);
    const last = w.at(-1) ?? '';
    if (w.some((x) => PUBLIC_WORDS.has(x)) || POINTER_LAST_WORDS.has(last))
        return false;
    // PWD alone is the shell's working directory.
    return w.some((x) => SECRET_WORDS.has(x)) || (w.length > 1 && SECRET_LAST_WORDS.has(last));
}
function trivialValue(value) {
    const v = value.trim();
    return (v.length < 4 ||
        TRIVIAL_WORDS.test(v) ||
        /^(.)\1*$/.test(v) ||
        /^\$\{?\w+\}?$/.test(v) ||
        /^(<.*>|\{\{.*\}\}|\[.*\])$/.test(v) ||
        /^(\/|\.\.?\/|~\/)/.test(v));
}
/** What shape of credential the text holds, if any. */
function credentialShape(text) {
    return VALUE_SHAPES.find(([, re]) => re.test(text))?.[0];
}
function judge(name, value) {
    const shape = credentialShape(value);
    if (shape)
        return `holds ${shape}`;
    return secretName(name) && !trivialValue(value) ? 'is named like a secret and has a value' : undefined;
}
/** `A=1 B="two"` (or the old `ENV NAME value` form) as name, value pairs. */
function pairs(text) {
    const tokens = text.trim().split(/\s+/).filter(Boolean);
    if (tokens.length > 0 && !tokens[0].includes('='))
        return [[tokens[0], tokens.slice(1).join(' ')]];
    return tokens
        .filter((t) => t.includes('='))
        .map((t) => {
        const at = t.indexOf('=');
        return [t.slice(0, at), t.slice(at + 1).replace(/^(["'])(.*)\1$/, '$2')];
    });
}
/** A history step as its Dockerfile instruction: without the legacy builder's `/bin/sh -c #(nop)` and BuildKit's `# buildkit`. */
function instruction(createdBy) {
    return createdBy
        .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
        .replace(/\s*# buildkit$/, '')
        .trim();
}
/** Every credential in the image config, each once, in ENV, LABEL, then history order. */
function findConfigCredentials(facts) {
    const found = [];
    const flagged = new Set();
    const add = (key, where, why) => {
        if (why === undefined || flagged.has(key))
            return false;
        flagged.add(key);
        found.push({ where, why });
        return true;
    };
    for (const entry of facts.env) {
        const at = entry.indexOf('=');
        const name = at < 0 ? entry : entry.slice(0, at);
        add(`ENV ${name}`, `ENV ${name}`, judge(name, at < 0 ? '' : entry.slice(at + 1)));
    }
    for (const [name, value] of Object.entries(facts.labels))
        add(`LABEL ${name}`, `LABEL ${name}`, judge(name, value));
    facts.history.forEach((createdBy, i) => {
        const step = `build history step ${i + 1} of ${facts.history.length}`;
        let text = instruction(createdBy);
        const word = /^[A-Z]+(?=\s)/.exec(text)?.[0] ?? 'RUN';
        const kind = /^(ENV|LABEL|ARG)\s+/.exec(text)?.[1];
        if (kind) {
            // ENV and LABEL already reported from the config are not reported again from the step that set them.
            for (const [name, value] of pairs(text.slice(kind.length)))
                add(`${kind} ${name}`, `${kind} ${name} (${step})`, judge(name, value));
            return;
        }
        // A RUN records the build args it saw as `|N NAME=value ...` before its command.
        const args = /^(?:RUN\s+)?\|(\d+)\s+/.exec(text);
        if (args) {
            const tokens = text.slice(args[0].length).split(/\s+/);
            const n = Number(args[1]);
            for (const [name, value] of pairs(tokens.slice(0, n).join(' ')))
                add(`ARG ${name}`, `ARG ${name} (${step})`, judge(name, value));
            text = tokens.slice(n).join(' ');
        }
        const shape = credentialShape(text);
        if (shape)
            add(`step ${i}`, `a ${word} line (${step})`, `holds ${shape}`);
    });
    return found;
}
/** The guard's finding, at the given level; none when it is off or nothing is found. */
function evaluateConfigGuard(facts, level) {
    const found = level === 'off' ? [] : findConfigCredentials(facts);
    if (level === 'off' || found.length === 0)
        return [];
    return [
        {
            guard: 'configSecrets',
            level,
            message: `the image config carries ${found.length} credential(s) that anyone who can pull the image reads with docker inspect or docker history: ` +
                `${found.map((c) => `${c.where} ${c.why}`).join('; ')}. ` +
                'Remove them from the Dockerfile and the build args: give the server its credentials at run time from a Kubernetes Secret (env valueFrom.secretKeyRef), ' +
                'and the build what it needs with a build secret (`RUN --mount=type=secret,id=...`), which leaves nothing in the image. ' +
                'This guard follows image.guards.secretFiles.',
        },
    ];
}

;// CONCATENATED MODULE: ./src/image/guards.ts
const MiB = 1024 * 1024;
/** Where the OS and its packages live: their own caches and certificates are not the model's content. */
const SYSTEM_PREFIXES = ['/usr/', '/lib/', '/lib64/', '/bin/', '/sbin/', '/etc/', '/var/lib/', '/var/cache/', '/var/log/', '/proc/', '/sys/', '/dev/'];
/** Except this one: the app folder of Docker's own Python and Node examples (WORKDIR /usr/src/app). */
const APP_UNDER_SYSTEM = '/usr/src/';
/** Installed Python packages wherever they are (a virtualenv in /opt/venv or /app/.venv): pip's vendored cacert.pem and their caches are not the model's content either. */
const INSTALLED_PACKAGES = /\/(site|dist)-packages\//;
const DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.feather', '.arrow', '.jsonl', '.npy', '.npz', '.xlsx', '.avro', '.orc'];
const TRAINING_SCRIPT = /(^|\/)(train|training|fit|finetune|fine_tune)[\w-]*\.(py|ipynb|sh|r)$/i;
const SECRET_FILE = /(^|\/)(\.env(\.[\w-]+)?|id_rsa|id_ecdsa|id_ed25519|[\w.-]+\.pem|[\w.-]+\.key|[\w.-]+\.p12|[\w.-]+\.pfx|\.netrc|\.pypirc|credentials\.json|\.npmrc)$/i;
function isSystemPath(p) {
    return INSTALLED_PACKAGES.test(p) || (!p.startsWith(APP_UNDER_SYSTEM) && SYSTEM_PREFIXES.some((prefix) => p.startsWith(prefix)));
}
/** Files the OS or pip installed: what the secret-files guard leaves alone (it does look in /etc, /root and /var). */
function isInstalledPath(p) {
    return INSTALLED_PACKAGES.test(p) || (p.startsWith('/usr/') && !p.startsWith(APP_UNDER_SYSTEM));
}
function mb(bytes) {
    return `${(bytes / MiB).toFixed(1)} MiB`;
}
function list(paths, max = 5) {
    const shown = paths.slice(0, max).join(', ');
    return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}
/** Applies each guard its level says to run; returns the findings, errors and warnings alike. */
function evaluateGuards(facts, guards) {
    const findings = [];
    const add = (guard, level, message) => {
        if (level !== 'off')
            findings.push({ guard, level, message });
    };
    const appFiles = facts.files.filter((f) => !isSystemPath(f.path));
    if (facts.sizeBytes > guards.sizeBudgetMb * MiB) {
        const layers = [...facts.layers].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 3);
        const files = [...facts.files]
            .filter((f) => f.type === 'file')
            .sort((a, b) => b.sizeBytes - a.sizeBytes)
            .slice(0, 5);
        add('size', guards.size, `the image is ${mb(facts.sizeBytes)}, over the budget of ${guards.sizeBudgetMb} MiB. Biggest layers: ${layers
            .map((l) => `${mb(l.sizeBytes)} from ${l.createdBy.trim() === '' ? 'a layer with no recorded command' : `\`${l.createdBy.replace(/\s+/g, ' ').slice(0, 80)}\``}`)
            .join('; ')}. Biggest files: ${files.map((f) => `${f.path} (${mb(f.sizeBytes)})`).join(', ')}. Use a multi-stage build that copies only what serves, or raise image.guards.sizeBudgetMb.`);
    }
    const user = facts.user.trim();
    if (user === '' || user === 'root' || user === '0' || user.startsWith('0:') || user.startsWith('root:')) {
        add('rootUser', guards.rootUser, `the image runs as root (User is ${user === '' ? 'unset' : `"${user}"`}). Add a numeric non-root user to the Dockerfile, for example \`USER 10001\`.`);
    }
    const notebooks = appFiles.filter((f) => f.type === 'file' && f.path.endsWith('.ipynb')).map((f) => f.path);
    if (notebooks.length > 0) {
        add('notebooks', guards.notebooks, `the image holds notebooks: ${list(notebooks)}. Add \`*.ipynb\` to .dockerignore.`);
    }
    const datasets = appFiles
        .filter((f) => f.type === 'file' && DATA_EXTENSIONS.some((ext) => f.path.toLowerCase().endsWith(ext)) && f.sizeBytes > guards.datasetMaxMb * MiB)
        .map((f) => `${f.path} (${mb(f.sizeBytes)})`);
    if (datasets.length > 0) {
        add('datasets', guards.datasets, `the image holds datasets over ${guards.datasetMaxMb} MiB: ${list(datasets)}. Keep data out of the image: add the data folder or file to .dockerignore.`);
    }
    const gitDirs = facts.files.filter((f) => /(^|\/)\.git(\/|$)/.test(f.path) && f.type === 'dir' && f.path.endsWith('.git')).map((f) => f.path);
    if (gitDirs.length > 0) {
        add('git', guards.git, `the image holds a git repository: ${list(gitDirs)}. Add \`.git\` to .dockerignore.`);
    }
    const training = appFiles.filter((f) => f.type === 'file' && TRAINING_SCRIPT.test(f.path)).map((f) => f.path);
    if (training.length > 0) {
        add('trainingScripts', guards.trainingScripts, `the image holds training code: ${list(training)}. Train in a build stage or before the build, and COPY only the artifact and the server into the final stage.`);
    }
    const pycache = appFiles.filter((f) => f.type === 'dir' && f.path.endsWith('/__pycache__')).map((f) => f.path);
    if (pycache.length > 0) {
        add('pycache', guards.pycache, `the image holds Python caches: ${list(pycache)}. Add \`__pycache__\` to .dockerignore and set ENV PYTHONDONTWRITEBYTECODE=1.`);
    }
    const secrets = facts.files
        .filter((f) => f.type === 'file' && SECRET_FILE.test(f.path) && !isInstalledPath(f.path) && !f.path.startsWith('/etc/ssl/certs/'))
        .map((f) => f.path);
    if (secrets.length > 0) {
        add('secretFiles', guards.secretFiles, `the image holds key or env files: ${list(secrets)}. Remove them and add them to .dockerignore; pass secrets at run time (Kubernetes Secrets) instead.`);
    }
    return findings;
}

// EXTERNAL MODULE: ./src/image/image-ref.ts
var image_ref = __webpack_require__(21052);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
;// CONCATENATED MODULE: ./src/image/inspect.ts




/**
 * Reads the guards' facts from the built image itself: config (Env and Labels included), layer history
 * and the file listing. The listing (an export of the whole filesystem, the slow part) is remembered per
 * layer chain in cacheDir, so a rebuild that changed only labels or nothing at all does not export the
 * image again.
 */
async function readImageFacts(exec, docker, image, tempDir, cacheDir) {
    const inspect = await exec(docker, ['image', 'inspect', '--format', '{{json .}}', image]);
    const info = JSON.parse(inspect.stdout);
    const history = await exec(docker, ['history', '--no-trunc', '--human=false', '--format', '{{json .}}', image]);
    const layers = history.stdout
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l))
        .map((h) => ({ createdBy: h.CreatedBy ?? '', sizeBytes: Number(h.Size ?? 0) || 0 }));
    const files = await cachedListing(info.RootFS?.Layers, cacheDir, () => listFiles(exec, docker, image, tempDir));
    const config = {
        env: info.Config?.Env ?? [],
        labels: info.Config?.Labels ?? {},
        // docker history lists the newest step first
        history: layers.map((l) => l.createdBy).reverse(),
    };
    return { user: info.Config?.User ?? '', sizeBytes: info.Size ?? 0, layers, files, config };
}
async function cachedListing(layers, cacheDir, list) {
    if (!cacheDir || !layers || layers.length === 0)
        return list();
    const key = (0,external_node_crypto_.createHash)('sha256').update(layers.join('\n')).digest('hex');
    const file = external_node_path_default().join(cacheDir, 'image-files', `${key}.json`);
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        const files = await list();
        try {
            (0,external_node_fs_.mkdirSync)(external_node_path_default().dirname(file), { recursive: true });
            (0,external_node_fs_.writeFileSync)(file, JSON.stringify(files));
        }
        catch {
            // a cache that cannot be written only costs time
        }
        return files;
    }
}
async function listFiles(exec, docker, image, tempDir) {
    const dir = await (0,promises_.mkdtemp)(external_node_path_default().join(tempDir, 'model-canary-export-'));
    const tar = external_node_path_default().join(dir, 'rootfs.tar');
    const created = await exec(docker, ['create', image, 'model-canary-inspect']);
    const id = created.stdout.trim();
    try {
        await exec(docker, ['export', '--output', tar, id], { timeoutMs: 600_000 });
        const listing = await exec('tar', ['--list', '--verbose', '--numeric-owner', '--file', tar], { timeoutMs: 300_000 });
        return parseTarListing(listing.stdout);
    }
    finally {
        await exec(docker, ['rm', '--force', id], { allowFailure: true });
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
/** Parses GNU `tar -tv` lines: `-rw-r--r-- 0/0  1234 2024-01-01 00:00 app/serve.py`. */
function parseTarListing(text) {
    const files = [];
    for (const line of text.split('\n')) {
        const match = /^([-dlhcbp])\S*\s+\S+\s+(\d+)\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s(.+)$/.exec(line);
        if (!match)
            continue;
        const [, kind, size, rawName] = match;
        let name = kind === 'l' || kind === 'h' ? rawName.replace(/ (->|link to) .*$/, '') : rawName;
        name = `/${name.replace(/^\.?\//, '').replace(/\/$/, '')}`;
        files.push({ path: name, sizeBytes: Number(size), type: kind === 'd' ? 'dir' : kind === 'l' || kind === 'h' ? 'link' : 'file' });
    }
    return files;
}

;// CONCATENATED MODULE: ./src/image/labels.ts
/** Tags pushed for a build: the chosen tag, the commit SHA (when known) and the extra tags, once each. */
function imageTags(config) {
    const tags = [config.image.tag];
    if (config.run.commitSha)
        tags.push(config.run.commitSha);
    tags.push(...config.image.extraTags);
    return [...new Set(tags.filter((t) => t !== ''))];
}
/** OCI annotations and model-canary's own labels, read later from the image itself. */
function imageLabels(config, created) {
    const labels = {
        'org.opencontainers.image.created': created.toISOString(),
        'org.opencontainers.image.title': config.model.name,
        'org.opencontainers.image.version': config.model.version,
        'dev.model-canary.model.name': config.model.name,
        'dev.model-canary.model.version': config.model.version,
        'dev.model-canary.model.framework': config.model.framework,
    };
    if (config.run.commitSha)
        labels['org.opencontainers.image.revision'] = config.run.commitSha;
    if (config.run.repository && config.run.serverUrl) {
        labels['org.opencontainers.image.source'] = `${config.run.serverUrl}/${config.run.repository}`;
    }
    return labels;
}

;// CONCATENATED MODULE: ./src/image/index.ts










/** Builds the model-server image, checks its contents, pushes it and returns it by digest. */
async function buildImage(config, ctx) {
    const { logger } = ctx.host;
    if (!config.image.tag) {
        throw (0,src_errors/* userError */.IF)('There is no image tag: this run has no commit SHA.', 'Give the image-tag input (--image-tag on the CLI) or image.tag in the model file.');
    }
    const docker = (await (0,resolve/* resolveTool */.H)('docker', ctx.tools)).path;
    const ref = (0,image_ref/* parseImageRef */.Q)(config.image.repository);
    if (config.run.registryAuth && ref.registry) {
        await registryLogin(ctx.exec, docker, ref.registry, config.run.registryAuth);
    }
    const builder = await detectBuilder(ctx.exec, docker);
    const source = await prepareBuildContext(config);
    const tags = imageTags(config).map((t) => `${config.image.repository}:${t}`);
    const plan = {
        builder,
        dockerfile: source.dockerfile,
        context: source.context,
        tags,
        labels: imageLabels(config, new Date()),
        buildArgs: { ...source.buildArgs, ...config.image.buildArgs },
    };
    if (builder === 'buildx' && config.image.push)
        plan.cacheFrom = tags[0];
    logger.info(`Building ${tags[0]} with ${builder === 'buildx' ? 'docker buildx' : 'the legacy docker builder (no buildx plugin)'}`);
    await runBuild(ctx.exec, docker, plan, logger);
    const facts = await readImageFacts(ctx.exec, docker, tags[0], config.run.tempDir, ctx.tools.cacheDir);
    const findings = [...evaluateGuards(facts, config.image.guards), ...evaluateConfigGuard(facts.config, config.image.guards.secretFiles)];
    for (const f of findings)
        (f.level === 'error' ? logger.error : logger.warn).call(logger, `image guard ${f.guard}: ${f.message}`);
    const errors = findings.filter((f) => f.level === 'error');
    if (errors.length > 0) {
        throw new src_errors/* ModelCanaryError */.Md('model', `The image failed ${errors.length} content guard(s), so it was not pushed:\n${errors.map((f) => `  - ${f.guard}: ${f.message}`).join('\n')}`, 'Fix the Dockerfile or .dockerignore as each line says, or set the guard to warn or off in image.guards.');
    }
    const built = { reference: tags[0], digest: '', tags, builder, sizeBytes: facts.sizeBytes, findings };
    if (config.image.push) {
        built.digest = await pushImage(ctx.exec, docker, tags, config.image.repository);
        built.reference = (0,image_ref/* pinnedByDigest */.MC)(ref, built.digest);
    }
    return built;
}


/***/ }),

/***/ 55482:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ assetRoot)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73136);
/* harmony import */ var node_url__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_url__WEBPACK_IMPORTED_MODULE_2__);



let cached;
/**
 * The folder holding model-canary's own files (templates/, schema/): the action's checkout when it runs
 * as an action, the package when it runs as the CLI, the repository in tests. Found by walking up from
 * this module to the folder that has both action.yml and templates/.
 */
function assetRoot() {
    if (cached)
        return cached;
    let dir = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname((0,node_url__WEBPACK_IMPORTED_MODULE_2__.fileURLToPath)(import.meta.url));
    for (;;) {
        if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, 'action.yml')) && (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dir, 'templates'))) {
            cached = dir;
            return dir;
        }
        const parent = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(dir);
        if (parent === dir)
            throw new Error('internal: model-canary templates not found beside the running code');
        dir = parent;
    }
}


/***/ })

};
