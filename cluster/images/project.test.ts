import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appUserLines, baseChanges } from './base.ts';
import {
  copySources,
  imageHash,
  includeInContext,
  projectImages,
  sourcesHash,
  stageSources,
} from './project.ts';

describe('projectImages', () => {
  it('maps Dockerfile.<name> to docker.io/aurum/<name>:0.1.0 and ignores other files', () => {
    expect(
      projectImages([
        'build.ts',
        'Dockerfile.toolbox',
        'Dockerfile.operator',
        'Dockerfile',
        'base',
        'Dockerfile.x.bak',
      ]),
    ).toEqual([
      {
        name: 'operator',
        dockerfile: 'runtime-image/Dockerfile.operator',
        ref: 'docker.io/aurum/operator:0.1.0',
      },
      {
        name: 'toolbox',
        dockerfile: 'runtime-image/Dockerfile.toolbox',
        ref: 'docker.io/aurum/toolbox:0.1.0',
      },
    ]);
  });
});

describe('includeInContext', () => {
  it('keeps sources and drops tests, node_modules and .git', () => {
    expect(includeInContext('runtime/main.ts')).toBe(true);
    expect(includeInContext('runtime/main.test.ts')).toBe(false);
    expect(includeInContext('operator/node_modules/x.js')).toBe(false);
    expect(includeInContext('.git/config')).toBe(false);
  });
});

describe('imageHash', () => {
  it('changes when any input changes', () => {
    const p = { dockerfile: 'FROM x', sources: 'a', lock: 'l', base: 'b' };
    const h = imageHash(p);
    expect(h).toHaveLength(16);
    expect(imageHash({ ...p })).toBe(h);
    for (const k of Object.keys(p) as Array<keyof typeof p>)
      expect(imageHash({ ...p, [k]: 'changed' })).not.toBe(h);
  });
});

describe('stageSources', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies source dirs without tests and hashes their content', () => {
    dir = mkdtempSync(join(tmpdir(), 'stage-test-'));
    const repo = join(dir, 'repo');
    mkdirSync(join(repo, 'runtime'), { recursive: true });
    mkdirSync(join(repo, 'e2e'), { recursive: true });
    writeFileSync(join(repo, 'package.json'), '{}');
    writeFileSync(join(repo, 'runtime/main.ts'), 'console.log(1)');
    writeFileSync(join(repo, 'runtime/main.test.ts'), 'test');
    writeFileSync(join(repo, 'e2e/x.ts'), 'e2e');
    const stage = join(dir, 'stage');
    const h1 = sourcesHash(['.'], stageSources(repo, stage));
    expect(readFileSync(join(stage, 'runtime/main.ts'), 'utf8')).toBe('console.log(1)');
    expect(existsSync(join(stage, 'runtime/main.test.ts'))).toBe(false);
    expect(existsSync(join(stage, 'e2e'))).toBe(false);
    expect(sourcesHash(['.'], stageSources(repo, stage))).toBe(h1);
    writeFileSync(join(repo, 'runtime/main.ts'), 'console.log(2)');
    expect(sourcesHash(['.'], stageSources(repo, stage))).not.toBe(h1);
  });
});

describe('base image description', () => {
  it('sets PATH (docker import sets none) and labels the content hash', () => {
    const c = baseChanges('abc');
    expect(c).toContain('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(c).toContain('LABEL dev.aurum.content-hash=abc');
    expect(appUserLines().passwd).toBe('app:x:1000:1000:app:/app:/usr/sbin/nologin\n');
  });
});

describe('copySources and sourcesHash', () => {
  const DF = `ARG BASE_IMAGE=x
FROM \${BASE_IMAGE}
COPY package.json ./
COPY --chown=1000:1000 node_modules/ ./node_modules/
COPY common/ ./common/
COPY ["operator/", "/app/operator/"]
COPY --from=build /out /out
ADD examples/strategies/ \\
    ./examples/strategies/
RUN echo COPY nothing
`;
  it('lists the context paths a Dockerfile copies', () => {
    expect(copySources(DF)).toEqual([
      'package.json',
      'node_modules/',
      'common/',
      'operator/',
      'examples/strategies/',
    ]);
  });

  it('hashes only the files an image copies', () => {
    const files = new Map([
      ['common/a.ts', '1'],
      ['operator/b.ts', '2'],
      ['simulator/c.ts', '3'],
    ]);
    const h = sourcesHash(['common/', 'operator/'], files);
    expect(sourcesHash(['common/', 'operator/'], new Map([...files, ['simulator/c.ts', 'changed']]))).toBe(h);
    expect(sourcesHash(['common/', 'operator/'], new Map([...files, ['operator/b.ts', 'changed']]))).not.toBe(
      h,
    );
    expect(sourcesHash(['.'], files)).not.toBe(h);
  });
});
