import { operatorEnvName, operatorFlagName } from '../src/operator-flags';

describe('operator flag and variable names', () => {
  it('derives the flag from a setting and the variable from a flag, one rule for the operator and its chart', () => {
    expect(operatorFlagName('webhookPort')).toBe('webhook-port');
    expect(operatorEnvName('vvp-url')).toBe('VVP_OPERATOR_VVP_URL');
    expect(operatorEnvName(operatorFlagName('leaderElection'))).toBe('VVP_OPERATOR_LEADER_ELECTION');
  });
});
