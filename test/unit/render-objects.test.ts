import { describe, expect, it } from 'vitest';
import { ModelCanaryError } from '../../src/errors.js';
import { parseObjects, stringifyObjects, type KubeObject } from '../../src/render/objects.js';

const cm = (data: Record<string, unknown>, name = 'c'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

describe('parseObjects', () => {
  it('reads a multi-document stream, skipping empty documents and flattening Lists', () => {
    const text = [
      '---',
      '# only a comment',
      '---',
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata: { name: a }',
      '---',
      '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}}]}',
      '---',
      '',
    ].join('\n');
    expect(parseObjects(text, 'x').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/a', 'Service/b']);
    expect(parseObjects('', 'x')).toEqual([]);
  });

  it('reads YAML the way Kubernetes does: 1.1 booleans and octals, timestamps kept as text', () => {
    const [object] = parseObjects(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\nbase: &b { x: 1 }\nspec: { a: yes, b: off, mode: 0644, when: 2024-01-01, none: ~, <<: *b }\n',
      'x',
    );
    expect(object?.['spec']).toEqual({ a: true, b: false, mode: 420, when: '2024-01-01', none: null, x: 1 });
  });

  it.each([
    ['not YAML', 'a: [1, 2\n', /^x is not valid YAML: .* at line 2, column 1$/],
    ['a scalar', 'hello\n', /x is not a Kubernetes object \(it is string\)/],
    ['a list', '- a\n', /x is not a Kubernetes object \(it is a list\)/],
    ['no kind or name', 'apiVersion: v1\nmetadata: {}\n', /x has no kind, metadata.name/],
    ['a duplicate key', 'apiVersion: v1\nkind: A\nkind: B\nmetadata: { name: a }\n', /^x is not valid YAML: Map keys must be unique at line 3, column 1$/],
    ['a merge of a scalar', 'apiVersion: v1\nkind: A\nmetadata: { name: a, <<: x }\n', /^x is not valid YAML: Merge sources must be maps/],
    ['the second document', 'apiVersion: v1\nkind: A\nmetadata: { name: a }\n---\nkind: B\n', /x, document 2 \(kind B\) has no apiVersion, metadata.name/],
  ])('rejects %s with the source named', (_name, text, message) => {
    const error = (() => {
      try {
        parseObjects(text, 'x');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ModelCanaryError);
    expect((error as ModelCanaryError).message).toMatch(message);
  });
});

describe('stringifyObjects', () => {
  it('writes data that reads back as the same objects, whatever the strings hold', () => {
    const tricky = [
      'yes',
      'no',
      'on',
      'off',
      'y',
      'n',
      'true',
      'null',
      '~',
      '0644',
      '0x1F',
      '1e3',
      '1_000',
      '.5',
      '2024-01-01',
      '1:20',
      'a: b',
      'x\nevil: true',
      '{{ .Release.Name }}',
      '"quoted"',
      "'single'",
      '- item',
      '---',
      '# comment',
      '&anchor',
      '*alias',
      '!tag',
      '@at',
      '%percent',
      ' leading',
      'trailing ',
      '',
      '\t',
      'ünïcödé',
      '\u0000',
    ];
    const keys = { '<<': 'merge?', y: 'key y', '1': 'one', true: 't', 'a: b': '{{ x }}' };
    const objects = [cm(Object.fromEntries(tricky.map((t, i) => [`k${i}`, t]))), cm({ n: 1, f: 1.5, b: true, list: ['yes', 1], nested: keys }, 'd')];
    const text = stringifyObjects(objects);
    expect(parseObjects(text, 'x')).toEqual(objects);
    expect(text.startsWith('---\n')).toBe(true);
    expect(text).not.toMatch(/^evil:/m);
  });

  it('does not fold long lines', () => {
    const long = 'word '.repeat(100).trim();
    expect(
      stringifyObjects([cm({ long })])
        .split('\n')
        .some((l) => l.includes(long)),
    ).toBe(true);
  });
});
