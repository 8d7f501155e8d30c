import { checkConfig, handlerSources, readConfigure } from '../../src/native/config';

describe('native provider configuration', () => {
  it('Configure args win over variables; both forms of variable names are read', () => {
    expect(
      readConfigure({ baseUrl: 'http://a:1' }, { 'vvp:config:baseUrl': 'http://b:2', 'vvp:config:apiToken': 't' }),
    ).toEqual({
      baseUrl: 'http://a:1',
      apiToken: 't',
    });
    expect(readConfigure({}, new Map([['vvp:baseUrl', 'http://c:3']]))).toEqual({ baseUrl: 'http://c:3' });
    expect(readConfigure({ baseUrl: 42 as never }, {})).toEqual({});
  });

  it('CheckConfig names unknown keys, wrong types and bad URLs, never echoing the token', () => {
    expect(checkConfig({ baseUrl: 'http://vvp:8080', apiToken: 'tok', version: '0.1.0' })).toEqual([]);
    const failures = checkConfig({ baseUrl: 'ftp//x', apiToken: 7, region: 'eu' });
    expect(failures.map((f) => f.property)).toEqual(['apiToken', 'region', 'baseUrl']);
    expect(failures[2]!.reason).toMatch(
      /baseUrl "ftp\/\/x" is not an http\(s\) URL; set it like `pulumi config set vvp:baseUrl/,
    );
    expect(checkConfig({ baseUrl: `http://x/${'a'.repeat(3000)}` })[0]!.reason).toMatch(/longer than 2048/);
  });

  it('a configured value hides the environment variable; an unset one leaves it', () => {
    const env = { VVP_URL: 'http://env:1', VVP_API_TOKEN: 'env-token', HOME: '/root' };
    const only = handlerSources({ baseUrl: 'http://cfg:2' }, env);
    expect(only.env).toEqual({ VVP_API_TOKEN: 'env-token', HOME: '/root' });
    expect(only.config.get('vvp:baseUrl')).toBe('http://cfg:2');
    expect(only.config.get('vvp:apiToken')).toBeUndefined();
  });
});
