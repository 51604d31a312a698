import { describe, expect, it } from 'vitest';
import { formatImageRef, parseImageRef, pinnedByDigest, repositoryOf, type ImageRef } from '../../src/image/image-ref.js';
import { ModelCanaryError } from '../../src/errors.js';

const SHA_A = `sha256:${'a'.repeat(64)}`;
const SHA_B = `sha256:${'0123456789abcdef'.repeat(4)}`;

const VALID: [string, ImageRef][] = [
  ['iris', { path: 'iris' }],
  ['team/iris', { path: 'team/iris' }],
  ['my-registry/iris', { path: 'my-registry/iris' }], // no dot, colon or localhost: a path, not a registry
  ['registry.example:5000/team/iris', { registry: 'registry.example:5000', path: 'team/iris' }],
  ['registry.example:5000/team/iris:v1.2_rc-3', { registry: 'registry.example:5000', path: 'team/iris', tag: 'v1.2_rc-3' }],
  ['ghcr.io/acme/models/vision/resnet-50', { registry: 'ghcr.io', path: 'acme/models/vision/resnet-50' }],
  ['docker.io/library/python:3.12-slim', { registry: 'docker.io', path: 'library/python', tag: '3.12-slim' }],
  [`iris@${SHA_A}`, { path: 'iris', digest: SHA_A }],
  [`registry.example:5000/team/iris:v1@${SHA_B}`, { registry: 'registry.example:5000', path: 'team/iris', tag: 'v1', digest: SHA_B }],
  ['localhost/iris', { registry: 'localhost', path: 'iris' }],
  ['localhost:5000/a/b/c:latest', { registry: 'localhost:5000', path: 'a/b/c', tag: 'latest' }],
  ['[::1]:5000/iris:1', { registry: '[::1]:5000', path: 'iris', tag: '1' }],
  ['[fd00::10]/team/iris', { registry: '[fd00::10]', path: 'team/iris' }],
  ['a__b/c.d/e--f', { path: 'a__b/c.d/e--f' }],
  [`iris:${'t'.repeat(128)}`, { path: 'iris', tag: 't'.repeat(128) }],
];

describe('parseImageRef accepts valid references', () => {
  it.each(VALID)('%s', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
  });

  it.each(VALID)('formats %s back to the same text', (text) => {
    expect(formatImageRef(parseImageRef(text))).toBe(text);
  });
});

const HOW = 'Write it as [registry[:port]/]path[:tag][@sha256:digest], in lowercase.';

const INVALID: [string, string][] = [
  ['', 'it is empty'],
  ['   ', 'it is empty'],
  [' iris', 'it contains whitespace'],
  ['team/ir is', 'it contains whitespace'],
  ['Iris', '"Iris" has uppercase letters; repository names are lowercase'],
  ['registry.example:5000/Team/iris', '"Team" has uppercase letters; repository names are lowercase'],
  ['team//iris', 'it has an empty path component (//)'],
  ['iris@sha256:abc', 'the digest "sha256:abc" is not algorithm:hex'],
  [`iris@sha256:${'A'.repeat(64)}`, 'a sha256 digest is 64 lowercase hex characters'],
  [`iris@sha256:${'a'.repeat(65)}`, 'a sha256 digest is 64 lowercase hex characters'],
  ['iris@', 'the digest "" is not algorithm:hex'],
  ['iris:-bad', `the tag "-bad" may hold only letters, digits, '_', '.' and '-' (at most 128)`],
  ['iris:', `the tag "" may hold only letters, digits, '_', '.' and '-' (at most 128)`],
  [`iris:${'t'.repeat(129)}`, `the tag "${'t'.repeat(129)}" may hold only letters, digits, '_', '.' and '-' (at most 128)`],
  [':v1', 'the repository name is missing'],
  ['example.com:http/iris', 'the registry port "http" is not a number'],
  ['exa_mple.com/iris', 'the registry host "exa_mple.com" is not a valid host name'],
  ['[::1/iris', 'the registry "[::1" has an unclosed ['],
  ['[::1]5000/iris', 'the registry "[::1]5000" is not host[:port]'],
  ['a..b', '"a..b" may hold only lowercase letters, digits and single separators (. _ __ -)'],
  ['a___b', '"a___b" may hold only lowercase letters, digits and single separators (. _ __ -)'],
  ['-iris', '"-iris" may hold only lowercase letters, digits and single separators (. _ __ -)'],
  [`r.io/${'a'.repeat(256)}`, 'the repository name is longer than 255 characters'],
];

describe('parseImageRef rejects invalid references with a clear message', () => {
  it.each(INVALID)('%j', (text, why) => {
    let error: unknown;
    try {
      parseImageRef(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect(error).toMatchObject({ kind: 'user', message: `"${text}" is not a valid image reference: ${why}.`, hint: HOW });
  });
});

describe('formatting', () => {
  it('repositoryOf drops the tag and digest', () => {
    expect(repositoryOf(parseImageRef(`registry.example:5000/team/iris:v1@${SHA_A}`))).toBe('registry.example:5000/team/iris');
    expect(repositoryOf(parseImageRef('iris:v1'))).toBe('iris');
  });

  it('pinnedByDigest deploys by digest, with no tag to drift', () => {
    const ref = parseImageRef('registry.example:5000/team/iris:v1');
    const pinned = pinnedByDigest(ref, SHA_B);
    expect(pinned).toBe(`registry.example:5000/team/iris@${SHA_B}`);
    expect(parseImageRef(pinned)).toEqual({ registry: 'registry.example:5000', path: 'team/iris', digest: SHA_B });
    expect(pinnedByDigest(parseImageRef(`iris@${SHA_A}`), SHA_B)).toBe(`iris@${SHA_B}`);
  });

  it('formatImageRef writes what parseImageRef reads', () => {
    const refs: ImageRef[] = [
      { path: 'iris' },
      { registry: '[::1]:5000', path: 'a/b', tag: 'x' },
      { registry: 'localhost', path: 'iris', digest: SHA_A },
      { registry: 'r.io', path: 'iris', tag: 'v2', digest: SHA_B },
    ];
    for (const ref of refs) expect(parseImageRef(formatImageRef(ref))).toEqual(ref);
  });
});
