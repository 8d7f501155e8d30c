/** The platform options checked once for startEmulator (option names) and the CLI (flag names). */
import { checkPlatform, FLAG_NAMES } from '../src/platform';

describe('checkPlatform', () => {
  it('defaults to vvp-3 with nothing else set', () => {
    expect(checkPlatform({})).toEqual({ profile: 'vvp-3' });
  });

  it('passes checked values on, with kinds of the global defaults upper-cased', () => {
    expect(
      checkPlatform({
        profile: 'vvp-2.4',
        unknownFields: 'reject',
        defaultTarget: 'main_1',
        globalDefaults: { upgradeStrategy: { kind: 'none' } },
      }),
    ).toEqual({
      profile: 'vvp-2.4',
      unknownFields: 'reject',
      defaultTarget: 'main_1',
      globalDefaults: { upgradeStrategy: { kind: 'NONE' } },
    });
  });

  it.each([
    [{ profile: 'vvp-2' }, 'profile must be one of vvp-2.4, vvp-3, lenient (got "vvp-2")', '--profile must be one of'],
    [{ unknownFields: 'ignore' }, 'unknownFields must be one of drop, reject, keep', '--unknown-fields must be one of'],
    [{ defaultTarget: '' }, 'defaultTarget must be a deployment target name', '--default-target must be a'],
    [{ globalDefaults: 5 }, 'globalDefaults: the global defaults must be an object', '--global-defaults: the global'],
  ])('%j names the option, or the flag for the CLI', (input, asOption, asFlag) => {
    expect(() => checkPlatform(input)).toThrow(asOption);
    expect(() => checkPlatform(input, FLAG_NAMES)).toThrow(asFlag);
  });

  it('a global-defaults field unknown to vvp-2.4 is an error there but not for lenient', () => {
    const globalDefaults = { template: { spec: { artifact: { engineVersionName: 'vera-4.1-flink-1.20' } } } };
    expect(() => checkPlatform({ profile: 'vvp-2.4', globalDefaults })).toThrow(
      'globalDefaults: Unknown field spec.template.spec.artifact.engineVersionName: the vvp-2.4 model has no such field',
    );
    expect(checkPlatform({ profile: 'lenient', globalDefaults }).globalDefaults).toEqual(globalDefaults);
  });
});
