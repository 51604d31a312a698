import { describe, expect, it } from 'vitest';
import { evaluateConfigGuard, findConfigCredentials, type ImageConfigFacts } from '../../src/image/config-guard.js';

// Credential-shaped values are built from parts so this file does not itself look like it leaks one.
const AKIA = `AKIA${'Q3EGPZJ2MX7HKLWB'}`;
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/${'bPxRfiCYEXAMPLEKEY'}`;
const GHP = `ghp_${'x1Y2z3'.repeat(6)}`;
const GITHUB_PAT = `github_pat_${'11ABCDEFG0'.repeat(3)}`;
const SLACK = `xoxb-${'1234567890'}-${'abcdefABCDEF'}`;
const HF = `hf_${'AbCdEfGhIj'.repeat(3)}`;
const PEM = `-----BEGIN RSA ${'PRIVATE'} KEY-----\nMIIEow...`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'}`;
const OPENAI = `sk-proj-${'Ab1Cd2Ef3G'.repeat(4)}`;
const DB_URL = `postgres://app:${'hunter22'}@db:5432/app`;

const facts = (over: Partial<ImageConfigFacts>): ImageConfigFacts => ({ env: [], labels: {}, history: [], ...over });
const found = (over: Partial<ImageConfigFacts>): string[] => findConfigCredentials(facts(over)).map((c) => `${c.where} ${c.why}`);

describe('the image config credentials guard', () => {
  it.each<[string, Partial<ImageConfigFacts>, string[]]>([
    ['a secret-named ENV', { env: [`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`] }, ['ENV AWS_SECRET_ACCESS_KEY is named like a secret and has a value']],
    ['an AWS key id in ENV (by its shape: the name ends in _ID)', { env: [`AWS_ACCESS_KEY_ID=${AKIA}`] }, ['ENV AWS_ACCESS_KEY_ID holds an AWS access key id']],
    ['a GitHub token under an innocent name', { env: [`SETTINGS=${GHP}`] }, ['ENV SETTINGS holds a GitHub token']],
    ['a fine-grained GitHub token in a label', { labels: { 'com.example.ci': GITHUB_PAT } }, ['LABEL com.example.ci holds a GitHub token']],
    ['a camelCase secret label', { labels: { 'com.example.apiToken': 'abc123def456' } }, ['LABEL com.example.apiToken is named like a secret and has a value']],
    ['a Slack token', { env: [`NOTIFY=${SLACK}`] }, ['ENV NOTIFY holds a Slack token']],
    ['a PEM private key', { env: [`TLS=${PEM}`] }, ['ENV TLS holds a private key']],
    ['a JSON Web Token', { env: [`SESSION=${JWT}`] }, ['ENV SESSION holds a JSON Web Token']],
    ['an OpenAI key', { env: [`LLM=${OPENAI}`] }, ['ENV LLM holds an OpenAI or Anthropic API key']],
    ['a URL with a password', { env: [`DATABASE_URL=${DB_URL}`] }, ['ENV DATABASE_URL holds a URL with a password']],
    [
      'short words that end the name',
      { env: ['DB_PASS=s3cr3t!', 'WANDB_API_KEY=0123456789abcdef', 'NPM_AUTH=dXNlcjpwYXNz'] },
      [
        'ENV DB_PASS is named like a secret and has a value',
        'ENV WANDB_API_KEY is named like a secret and has a value',
        'ENV NPM_AUTH is named like a secret and has a value',
      ],
    ],
    [
      'a build arg a RUN saw (legacy builder)',
      { history: ['/bin/sh -c #(nop)  ARG DEPLOY_TOKEN', '|1 DEPLOY_TOKEN=passed-in-secret /bin/sh -c echo hi'] },
      ['ARG DEPLOY_TOKEN (build history step 2 of 2) is named like a secret and has a value'],
    ],
    [
      'a build arg a RUN saw (BuildKit), beside a harmless one',
      { history: [`RUN |2 BASE_IMAGE=debian:bookworm HF_TOKEN=${HF} /bin/sh -c pip install -r req.txt # buildkit`] },
      ['ARG HF_TOKEN (build history step 1 of 1) holds a Hugging Face token'],
    ],
    ['an ARG default', { history: ['ARG DB_PASSWORD=s3cr3tpw'] }, ['ARG DB_PASSWORD (build history step 1 of 1) is named like a secret and has a value']],
    [
      'an ENV a later ENV emptied: gone from the config, still in the history',
      { env: ['API_KEY='], history: ['ENV API_KEY=abcd1234efgh # buildkit', 'ENV API_KEY= # buildkit'] },
      ['ENV API_KEY (build history step 1 of 2) is named like a secret and has a value'],
    ],
    [
      'an ENV in both the config and the history: reported once, from the config',
      { env: [`AWS_ACCESS_KEY_ID=${AKIA}`], history: [`/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=${AWS_SECRET} AWS_ACCESS_KEY_ID=${AKIA}`] },
      ['ENV AWS_ACCESS_KEY_ID holds an AWS access key id', 'ENV AWS_SECRET_ACCESS_KEY (build history step 1 of 1) is named like a secret and has a value'],
    ],
    [
      'a key typed into a RUN line',
      { history: [`RUN /bin/sh -c aws configure set aws_access_key_id ${AKIA} # buildkit`, `COPY --from=${GHP} /a /b # buildkit`] },
      ['a RUN line (build history step 1 of 2) holds an AWS access key id', 'a COPY line (build history step 2 of 2) holds a GitHub token'],
    ],
  ])('finds %s', (_what, input, expected) => {
    expect(found(input)).toEqual(expected);
  });

  it('leaves base images and pointers to secrets alone', () => {
    const quiet = facts({
      env: [
        'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        'LANG=C.UTF-8',
        'PWD=/srv/model',
        // python:3.11's public signing key fingerprint and tarball checksum
        'GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
        'PYTHON_GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D',
        'PYTHON_SHA256=9e06008c8901924395bc1da303eac567a729ae012baa182ab39269f650383bb3',
        'PYTHON_VERSION=3.11.9',
        'NVIDIA_REQUIRE_CUDA=cuda>=12.1 brand=tesla,driver>=470,driver<471',
        'NVIDIA_DRIVER_CAPABILITIES=compute,utility',
        'TOKENIZERS_PARALLELISM=false',
        'HF_HUB_DISABLE_TOKEN=1',
        'HF_TOKEN_PATH=/run/secrets/hf',
        'PASSWORD_FILE=/run/secrets/db-password',
        'AWS_REGION=us-east-1',
        'OAUTH_TOKEN_URL=https://auth.example/token',
        'SSH_PUBLIC_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl',
        'API_KEY=changeme',
        'API_TOKEN=<your token>',
        'NODE_AUTH_TOKEN=${NPM_TOKEN}',
        'SECRET_KEY=',
        'DB_PASSWORD=xxxxxxxx',
      ],
      labels: {
        'org.opencontainers.image.source': 'https://github.com/acme/models',
        'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567',
        'dev.model-canary.model.name': 'iris',
      },
      history: [
        '/bin/sh -c #(nop) ADD file:7c1d53a1d4bb4b1f2eb8d5ac0d5c8fb83bd8d2d2 in / ',
        'ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D # buildkit',
        'RUN /bin/sh -c set -eux; gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$GPG_KEY" # buildkit',
        'RUN |1 BASE_IMAGE=127.0.0.1:5000/model-canary/debian-python:bookworm /bin/sh -c apt-get update # buildkit',
        'RUN /bin/sh -c pip install --index-url https://user:${PIP_TOKEN}@pypi.example/simple torch # buildkit',
        'RUN /bin/sh -c --mount=type=secret,id=hf HF_TOKEN=$(cat /run/secrets/hf) python3 fetch.py # buildkit',
        'ARG DEPLOY_TOKEN',
        'USER 10001:10001',
      ],
    });
    expect(findConfigCredentials(quiet)).toEqual([]);
    expect(evaluateConfigGuard(quiet, 'error')).toEqual([]);
  });

  it('names every variable and where it is, never its value, and says to use a Secret or a build secret', () => {
    const values = [AWS_SECRET, AKIA, GHP, HF, 'passed-in-secret', DB_URL];
    const [finding, ...more] = evaluateConfigGuard(
      facts({
        env: [`AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`, `AWS_ACCESS_KEY_ID=${AKIA}`, `DATABASE_URL=${DB_URL}`],
        labels: { 'ci.token': GHP },
        history: [`RUN |2 DEPLOY_TOKEN=passed-in-secret HF=${HF} /bin/sh -c make # buildkit`],
      }),
      'error',
    );
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ guard: 'configSecrets', level: 'error' });
    const message = finding?.message ?? '';
    for (const where of [
      'ENV AWS_SECRET_ACCESS_KEY',
      'ENV AWS_ACCESS_KEY_ID',
      'ENV DATABASE_URL',
      'LABEL ci.token',
      'ARG DEPLOY_TOKEN (build history step 1 of 1)',
      'ARG HF (build history step 1 of 1)',
    ]) {
      expect(message).toContain(where);
    }
    expect(message).toContain('carries 6 credential(s)');
    expect(message).toContain('Kubernetes Secret');
    expect(message).toContain('RUN --mount=type=secret');
    for (const value of values) {
      expect(message).not.toContain(value);
      expect(message).not.toContain(value.slice(0, 8));
    }
  });

  it('follows its level: warn reports, off finds nothing', () => {
    const leaky = facts({ env: [`AWS_ACCESS_KEY_ID=${AKIA}`] });
    expect(evaluateConfigGuard(leaky, 'warn').map((f) => f.level)).toEqual(['warn']);
    expect(evaluateConfigGuard(leaky, 'off')).toEqual([]);
  });
});
