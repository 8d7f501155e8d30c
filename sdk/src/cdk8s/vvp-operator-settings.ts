/** The operator's own settings in the chart's pod spec: as command-line flags or as VVP_OPERATOR_* variables. */
import { operatorEnvName, operatorFlagName } from '../../../core/src/index';
import { CERT_MOUNT_PATH, type VvpOperatorProps } from './vvp-operator-props';

/** The operator's settings, before they become arguments or environment variables. */
export interface OperatorSettings {
  instanceId: string;
  watchedNamespaces: string;
  vvpUrl: string;
  webhookPort: number;
  webhookCert: string;
  webhookKey: string;
  metricsPort: number;
  leaderElection: boolean;
}

export function operatorSettings(
  props: VvpOperatorProps,
  ports: { webhookPort: number; metricsPort: number; leaderElection: boolean },
): OperatorSettings {
  return {
    instanceId: props.instanceId,
    watchedNamespaces: props.watchedNamespaces.join(','),
    vvpUrl: props.vvpUrl,
    webhookPort: ports.webhookPort,
    webhookCert: `${CERT_MOUNT_PATH}/tls.crt`,
    webhookKey: `${CERT_MOUNT_PATH}/tls.key`,
    metricsPort: ports.metricsPort,
    leaderElection: ports.leaderElection,
  };
}

/** `--kebab-case` flag of a setting. */
function flagOf(key: keyof OperatorSettings): string {
  return `--${operatorFlagName(key)}`;
}

/** `VVP_OPERATOR_SNAKE_CASE` variable of a setting. */
function envOf(key: keyof OperatorSettings): string {
  return operatorEnvName(operatorFlagName(key));
}

/** The operator's command-line arguments for the given settings. */
export function operatorArgs(settings: OperatorSettings): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(settings) as [keyof OperatorSettings, string | number | boolean][]) {
    if (typeof value === 'boolean') {
      if (value) args.push(flagOf(key));
    } else args.push(flagOf(key), String(value));
  }
  return args;
}

/** The operator's environment variables for the given settings. */
export function operatorEnv(settings: OperatorSettings): { name: string; value: string }[] {
  return (Object.entries(settings) as [keyof OperatorSettings, string | number | boolean][]).map(([key, value]) => ({
    name: envOf(key),
    value: String(value),
  }));
}
