/** check() without VVP: core's validation and the settings, as Pulumi check failures. */
import { checkInputs } from '../src/check';
import { UNKNOWN } from '../src/inputs';
import { providerInputs, putProviderInputs } from '../../tests/fixtures/seed';

const name = 'orders';
const URN = 'urn:pulumi:test::proj::pulumi-nodejs:dynamic/vvp:Deployment::orders';
const connection = { baseUrl: 'http://vvp.example.com:8080', resourceUrn: URN };
const inputs = (over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  providerInputs(name, connection, over, spec);
const putInputs = (over: Record<string, unknown> = {}) => putProviderInputs(name, connection, over);

describe('check', () => {
  it('accepts a valid PATCH definition without failures', () => {
    const r = checkInputs({}, inputs());
    expect(r.failures).toEqual([]);
  });
  it('returns every PUT-mandatory field as a failure with its property path', () => {
    const r = checkInputs({}, inputs({ syncingMode: 'PUT' }));
    const props = r.failures.map((f) => f.property);
    expect(props).toEqual(
      expect.arrayContaining([
        'deployment.spec.upgradeStrategy.kind',
        'deployment.spec.restoreStrategy.kind',
        'deployment.spec.template.spec.parallelism',
      ]),
    );
    expect(r.failures[0]!.reason).toMatch(new RegExp(`deployment default/${name}: PUT mode requires`));
  });
  it('rejects initFields when a PUT-mode resource is created', () => {
    const r = checkInputs({}, putInputs({ initFields: { spec: { template: { spec: { parallelism: 2 } } } } }));
    expect(r.failures.map((f) => f.property)).toEqual(['initFields']);
  });
  it('warns about each path initFields and the deployment both set', () => {
    const r = checkInputs(
      {},
      inputs({ initFields: { spec: { state: 'RUNNING', template: { spec: { parallelism: 3 } } } } }),
    );
    expect(r.failures).toEqual([]);
    expect(r.warnings).toEqual([
      expect.stringContaining('`initFields.spec.state` is also set in `deployment.spec.state`'),
    ]);
  });
  it('warns that an initFields edit after creation changes nothing', () => {
    const r = checkInputs(
      inputs({ initFields: { spec: { template: { spec: { parallelism: 1 } } } } }),
      inputs({ initFields: { spec: { template: { spec: { parallelism: 2 } } } } }),
    );
    expect(r.warnings).toEqual([expect.stringContaining('initFields apply at creation only')]);
  });
  it('reports bad resource settings and nonces', () => {
    const r = checkInputs({}, inputs({ deletionPolicy: 'drop', waitFor: { timeoutSeconds: 0 }, savepointNonce: 1.5 }));
    expect([...new Set(r.failures.map((f) => f.property))].sort()).toEqual([
      'deletionPolicy',
      'savepointNonce',
      'waitFor.timeoutSeconds',
    ]);
  });
  it('does not reject a name change (diff replaces instead)', () => {
    const next = inputs();
    (next.deployment as { metadata: { name: string } }).metadata.name = `${name}-b`;
    expect(checkInputs(inputs(), next).failures).toEqual([]);
  });
  it('skips values still unknown during preview', () => {
    expect(checkInputs({}, inputs({ deletionPolicy: UNKNOWN })).failures).toEqual([]);
  });
});
