import { afterEach, describe, expect, it, vi } from 'vitest';
import { childEnv, isWithheld } from '../../src/exec/child-env.js';
import { forgetSecrets, redact, registerSecret } from '../../src/exec/redact.js';
import { ActionsLogger } from '../../src/log/actions-host.js';
import { CliLogger, outputsJson } from '../../src/log/cli-host.js';
import { cell, codeBlock, codeCell } from '../../src/log/markdown.js';
import { neutralise } from '../../src/log/neutralise.js';

/*
 * Untrusted text (a case name, a manifest's metadata.name, a tool's stderr) reaches the runner's log.
 * These tests read what was written the way actions/runner does (ActionCommandManager): lines split at
 * LF, CR and CRLF; a line whose start, after white space, is `::name` is a command; failing that, a
 * `##[name` anywhere in it is a legacy command.
 */
function commandsIn(written: string): string[] {
  const found: string[] = [];
  for (const line of written.split(/\r\n|\r|\n/)) {
    const v2 = /^\s*::([A-Za-z-]+)[\s:]/.exec(line);
    if (v2) found.push(v2[1] as string);
    else {
      const legacy = /##\[([A-Za-z-]+)[\s\]]/.exec(line);
      if (legacy) found.push(`legacy ${legacy[1] as string}`);
    }
  }
  return found;
}

const COMMANDS = [
  'add-mask',
  'stop-commands',
  'set-output',
  'save-state',
  'set-env',
  'add-path',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'add-matcher',
  'remove-matcher',
];

/** Each command as an attacker would hide it in a name: after LF, CR or CRLF, indented, or legacy. */
function attacks(): string[] {
  const out: string[] = [];
  for (const c of COMMANDS) {
    out.push(
      `::${c}::owned`,
      `iris\n::${c}::owned`,
      `iris\r::${c} name=x::owned`,
      `iris\r\n  \t::${c}::owned`,
      `iris ##[${c}]owned`,
      `iris\n##[${c} x=y]owned`,
      `\u200b::${c}::owned`,
    );
  }
  return out;
}

function captureStdout(fn: () => void | Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return Promise.resolve(fn()).then(
    () => {
      spy.mockRestore();
      return chunks.join('');
    },
    (err: unknown) => {
      spy.mockRestore();
      throw err;
    },
  );
}

afterEach(() => forgetSecrets());

describe('workflow commands hidden in untrusted text', () => {
  it('the actions logger issues only the commands it means to, whatever each message holds', async () => {
    for (const text of attacks()) {
      const logger = new ActionsLogger();
      const written = await captureStdout(async () => {
        logger.info(text);
        logger.debug(text);
        logger.warn(text, { title: text, file: text });
        logger.error(text, { title: text });
        await logger.group(text, async () => undefined);
      });
      expect(commandsIn(written), JSON.stringify({ text, written })).toEqual(['debug', 'warning', 'error', 'group', 'endgroup']);
      // The text is still there to read.
      expect(written).toContain('owned');
    }
  });

  it('the CLI logger, whose stderr a workflow step also parses, issues none', () => {
    for (const text of attacks()) {
      const lines: string[] = [];
      const logger = new CliLogger(true, (t) => void lines.push(t));
      logger.info(text);
      logger.debug(text);
      logger.warn(text);
      logger.error(text);
      expect(commandsIn(lines.join('')), text).toEqual([]);
    }
  });

  it("the CLI's JSON outputs on stdout are never a command and still parse to the same values", () => {
    const outputs = { verdict: '::add-mask::x', report: 'a ##[set-output name=y]z\n::error::boom' };
    const json = outputsJson(outputs);
    expect(commandsIn(json)).toEqual([]);
    expect(JSON.parse(json)).toEqual(outputs);
  });

  it('neutralise leaves ordinary text alone and marks a command start with a backslash', () => {
    expect(neutralise('plain text: with a colon :: in the middle')).toBe('plain text: with a colon :: in the middle');
    expect(neutralise('a\n  ::warning::b\r##[group]c')).toBe('a\n  \\::warning::b\n##\\[group]c');
  });
});

describe('markdown cells and blocks for untrusted text', () => {
  it('a cell stays one cell on one line and brings no HTML, link or image', () => {
    const evil = 'a | b\n| c |\r\n<img src=x onerror=alert(1)> [x](http://e) ![i](http://e/i.png) \\| d';
    const out = cell(evil);
    expect(out).not.toMatch(/[\r\n]/);
    // Every pipe is escaped, so the row keeps its columns.
    expect(out.replace(/\\\\/g, '').match(/(?<!\\)\|/g)).toBeNull();
    expect(out).not.toContain('<');
    expect(out).not.toMatch(/(?<!\\)\[/);
    expect(`| ${out} |`.split(/(?<!\\)\|/).length).toBe(3);
  });

  it('a code cell is code when it can be, and a plain escaped cell when a backtick or pipe would break it', () => {
    expect(codeCell('spec.containers[0]')).toBe('`spec.containers[0]`');
    expect(codeCell('a`b')).toBe(cell('a`b'));
    expect(codeCell('a|b')).toBe('a\\|b');
    expect(codeCell('')).toBe('');
  });

  it('a code block cannot be closed by the text inside it', () => {
    const text = 'error\n```\n# injected heading\n````';
    const block = codeBlock(text);
    const fence = block.split('\n')[0]?.replace('text', '') ?? '';
    expect(fence).toBe('`````');
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    expect(block.slice(fence.length, -fence.length)).not.toContain(fence);
  });
});

describe("secrets: process-wide redaction and the children's environment", () => {
  it('redacts every registered secret, longest first, and ignores blank ones', () => {
    registerSecret('abc');
    registerSecret('abcdef');
    registerSecret('   ');
    expect(redact('x abcdef y abc z')).toBe('x *** y *** z');
    expect(redact('x abc', ['x'])).toBe('*** ***');
    forgetSecrets();
    expect(redact('x abcdef')).toBe('x abcdef');
  });

  it("a child gets the parent's environment without the inputs, state, registry password and tokens", () => {
    const parent = {
      PATH: '/usr/bin',
      KUBECONFIG: '/k',
      AWS_PROFILE: 'ci',
      INPUT_KUBECONFIG: 'secret',
      'INPUT_GITHUB-TOKEN': 'ghs_x',
      STATE_cleanup: '{}',
      MODEL_CANARY_REGISTRY_PASSWORD: 'pw',
      ACTIONS_RUNTIME_TOKEN: 't',
      GITHUB_TOKEN: 'g',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    };
    expect(childEnv({ EXTRA: '1', AWS_PROFILE: undefined }, parent)).toEqual({
      PATH: '/usr/bin',
      KUBECONFIG: '/k',
      EXTRA: '1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    });
    expect(isWithheld('input_config')).toBe(true);
    expect(isWithheld('HOME')).toBe(false);
  });
});
