import { describe, expect, it } from 'vitest';
import { parseChallenges, pickChallenge } from '@/lib/registry/challenge';

describe('parseChallenges reads WWW-Authenticate as registries send it', () => {
  const cases: [string, string, { scheme: string; params: Record<string, string> }[]][] = [
    [
      'Docker Hub, quoted scope with a comma',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }],
    ],
    ['Basic', 'Basic realm="GitHub Package Registry"', [{ scheme: 'basic', params: { realm: 'GitHub Package Registry' } }]],
    ['any case, spaces around =', 'BEARER Realm = "https://r/t" , Service=reg', [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'reg' } }]],
    [
      'two challenges joined by Node into one line',
      'Basic realm="x", Bearer realm="https://r/token",service="s"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://r/token', service: 's' } },
      ],
    ],
    [
      'a token68 challenge before a Bearer one',
      'Negotiate, Bearer realm="https://r/token"',
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'bearer', params: { realm: 'https://r/token' } },
      ],
    ],
    ['escaped quote inside a quoted value', 'Bearer realm="a\\"b",service="s"', [{ scheme: 'bearer', params: { realm: 'a"b', service: 's' } }]],
    ['scope with host:port in the name', 'Bearer realm="r",scope="repository:localhost:5000/app:pull"', [{ scheme: 'bearer', params: { realm: 'r', scope: 'repository:localhost:5000/app:pull' } }]],
    ['empty', '', []],
    ['unterminated quote', 'Bearer realm="https://r', [{ scheme: 'bearer', params: { realm: 'https://r' } }]],
  ];
  it.each(cases)('%s', (_, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});

describe('pickChallenge', () => {
  it('prefers Bearer over Basic and ignores schemes it cannot use', () => {
    expect(pickChallenge(parseChallenges('Negotiate, Basic realm="b", Bearer realm="t"'))?.scheme).toBe('bearer');
    expect(pickChallenge(parseChallenges('Negotiate, Basic realm="b"'))?.scheme).toBe('basic');
    expect(pickChallenge(parseChallenges('Negotiate'))).toBeNull();
  });
});
